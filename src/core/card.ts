// Platform-neutral cards: templates in cards/ produce these, channels render them.
export type Tone = "info" | "success" | "warning" | "danger";

export interface CardField {
  label: string;
  value: string;
}

export interface CardButton {
  label: string;
  /** Action key sent back on click: "<verb>:<cardRef>[:<arg>]". Built by the handler that sends the card. */
  action: string;
  style?: "primary" | "default" | "danger";
}

export interface Card {
  /** Unique card id; also the WeCom task_id and DingTalk outTrackId. */
  ref: string;
  /** What the card is for (approval, visit_confirm, reminder…); routes clicks back to a handler. */
  purpose: string;
  title: string;
  subtitle?: string;
  tone?: Tone;
  fields: CardField[];
  /** Free text lines under the fields. */
  lines?: string[];
  buttons: CardButton[];
  /** After a decision: shown instead of the buttons, for every recipient. */
  status?: { text: string; tone: Tone };
  /** Text commands that do what the buttons do, for channels without interactive cards. */
  textCommands?: string[];
  /** A chart or picture URL (metrics). */
  imageUrl?: string;
}
