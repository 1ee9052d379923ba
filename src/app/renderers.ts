import type { RendererRegistry } from '../modules/pipeline/renderer.registry.js';

/** The renderer of each target kind. */
export function rendererRegistry(): RendererRegistry {
  return {};
}
