import type { FamilyFileNames } from '../render/device/file-names.js';
import type { ModelCatalogue, ModelInfo } from '../render/device/models.js';
import type { BuildContext, CheckedSettings, ViewFile } from '../render/device/view-context.js';
import type { VendorFamily } from '../../model/directory/vendor-family.js';
import type { ResyncEvent } from '../notify/notify.types.js';
import type { PhonebookFormat } from '../render/phonebook/index.js';

/**
 * Everything one vendor family provides, in one place: src/modules/vendors/<family>/ holds the
 * parts and <family>.family.ts assembles them into this shape for registry.ts. Consumers
 * (device renderer, phone-server file routing, …) read the registry, never a family folder.
 */
export interface VendorFamilyDefinition<F extends VendorFamily = VendorFamily> {
  id: F;
  /** Known models, their line counts, and how a model name is canonicalised. */
  models: ModelCatalogue;
  /** The file names the phones request, per device and per model. */
  files: FamilyFileNames;
  /** The view models (template, values) of those files. */
  views: {
    /** Per-device files, in the order of `files.device`. */
    device(ctx: BuildContext): ViewFile[];
    /** Per-model common files (no MAC, no secrets); empty when the family or model has none. */
    common(model: ModelInfo, settings: CheckedSettings): ViewFile[];
  };
  /** Reads the family's User-Agent shapes (every firmware generation it knows, with examples). */
  userAgent: UserAgentRule;
  /** The phonebook format the family's phones read (the format id in `/pb/<token>/<format>.xml`). */
  phonebookFormat: PhonebookFormat;
  /** The SIP NOTIFY the family takes as "fetch your configuration now", and the variant that also reboots. */
  resync: VendorResyncEvents;
}

/** A family's resync event plus its reboot variant (a profile may override either, see notify/resync-events.ts). */
export interface VendorResyncEvents extends ResyncEvent {
  rebootEvent: ResyncEvent;
}

/** What one family's rule could read from a (normalised) User-Agent. */
export interface UserAgentFields {
  vendor: VendorFamily;
  model?: string;
  firmware?: string;
  mac?: string;
}

/** A matcher answers only for its own family's UA shapes; `tokens` is the UA split on spaces. */
export type UserAgentMatcher = (ua: string, tokens: readonly string[]) => UserAgentFields | undefined;

export interface UserAgentRule {
  match: UserAgentMatcher;
  /**
   * The rule looks for its token anywhere in the UA (Snom's sits inside `Mozilla/4.0 (compatible;
   * …)`), not at its start: such rules run after all anchored ones, so they cannot claim another
   * family's User-Agent that merely mentions the word.
   */
  anywhere?: boolean;
  /**
   * A User-Agent as the family's real phones send it, for tools that act as a phone (`provd fetch`);
   * the model and firmware are examples, the MAC is the device's in the spelling the family uses.
   */
  example(mac: { lower: string; upper: string; colons: string }, model?: string): string;
}
