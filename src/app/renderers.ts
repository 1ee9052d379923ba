import { singleFromBatch } from '../modules/pipeline/batch-adapter.js';
import type {
  BatchRendererRegistry,
  RendererRegistry,
  TargetBatchRenderer,
} from '../modules/pipeline/renderer.registry.js';
import type { TargetKind } from '../modules/pipeline/render-target.entity.js';
import { deviceBatchRenderer } from '../modules/render/targets/device-batch.renderer.js';
import type { TargetRendererOptions } from '../modules/render/targets/device-target.renderer.js';
import { directoryBatchRenderer, phonebookBatchRenderer } from '../modules/render/targets/phonebook-batch.renderer.js';

/** The set-based renderer of each target kind: the worker renders every kind in batches. */
export function batchRendererRegistry(options: TargetRendererOptions): Required<BatchRendererRegistry> {
  return {
    device: deviceBatchRenderer(options),
    phonebook: phonebookBatchRenderer(options),
    directory: directoryBatchRenderer(options),
  };
}

/**
 * The renderer of each target kind, one target at a time: its batch renderer called with one
 * target. The render worker recognises these and uses the batch renderers behind them.
 */
export function rendererRegistry(options: TargetRendererOptions): RendererRegistry {
  const batch = batchRendererRegistry(options);
  const single = (kind: TargetKind) => singleFromBatch(batch[kind] as TargetBatchRenderer);
  return { device: single('device'), phonebook: single('phonebook'), directory: single('directory') };
}
