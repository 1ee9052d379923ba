/**
 * Vendor-neutral screens of the phone contacts app. The app decides what a screen holds
 * (phone-app.ts); each family's renderer (<family>.pages.ts) only lays it out in the vendor's XML
 * objects. URLs are absolute and never carry a secret: the phone authenticates as its device.
 */

export interface AppLink {
  label: string;
  url: string;
}

/** A list of choices (the app's main menu, the letters). */
export interface MenuPage {
  type: 'menu';
  title: string;
  items: AppLink[];
  back?: string;
}

export interface DirectoryRow {
  name: string;
  number: string;
}

/** One page of contacts, one row per number; the phone dials the selected row. */
export interface DirectoryPage {
  type: 'directory';
  title: string;
  /** "Page 2 of 5", "No match". */
  prompt: string;
  rows: DirectoryRow[];
  previous?: string;
  next?: string;
  back: string;
}

export interface InputField {
  label: string;
  param: string;
  value: string;
  /** `number` asks the phone for a digit keypad (no +: an international number starts with 00). */
  kind: 'text' | 'number';
}

/** Fields the phone sends back as query parameters of `url` (GET). */
export interface InputPage {
  type: 'input';
  title: string;
  prompt: string;
  url: string;
  fields: InputField[];
  back: string;
}

/** A message: what was saved, or what is wrong with the input. */
export interface TextPage {
  type: 'text';
  title: string;
  text: string;
  back: string;
  /** Second softkey, e.g. "Edit" back to the filled-in form. */
  action?: AppLink;
}

export type AppPage = MenuPage | DirectoryPage | InputPage | TextPage;

/** Rows per directory page, and the longest text each family shows. */
export interface FamilyLimits {
  pageRows: number;
  textMax: number;
  urlMax: number;
}
