/** What every target renderer (device, phonebook, directory) needs from the configuration. */
export interface TargetRendererOptions {
  /** Base URL phones reach this server at (config publicPhoneUrl, no trailing slash). */
  publicPhoneUrl: string;
}
