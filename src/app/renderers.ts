import { singleFromBatch } from '../modules/pipeline/batch-adapter.js';
import type { BatchRendererRegistry, RendererRegistry } from '../modules/pipeline/renderer.registry.js';
import { deviceBatchRenderer } from '../modules/render/targets/device-batch.renderer.js';
import type { TargetRendererOptions } from '../modules/render/targets/device-target.renderer.js';
import { directoryTargetRenderer, phonebookTargetRenderer } from '../modules/render/targets/phonebook-target.renderer.js';

/** The set-based renderer of each target kind that has one; the worker renders these kinds in batches. */
export function batchRendererRegistry(options: TargetRendererOptions): BatchRendererRegistry {
  return { device: deviceBatchRenderer(options) };
}

/**
 * The renderer of each target kind, one target at a time. A kind with a batch renderer renders
 * through it (a batch of one), and the worker recognises it and renders that kind in batches.
 */
export function rendererRegistry(options: TargetRendererOptions): RendererRegistry {
  const batch = batchRendererRegistry(options);
  return {
    device: singleFromBatch(batch.device!),
    phonebook: phonebookTargetRenderer(options),
    directory: directoryTargetRenderer(options),
  };
}
