// Platform-neutral cards: templates in cards/ produce these, channels render them. A card's view is stored
// (Card.view) and read back through CardSchema, so a malformed row is an error, not a silent cast.
import { z } from "zod";

export const ToneSchema = z.enum(["info", "success", "warning", "danger"]);
export type Tone = z.infer<typeof ToneSchema>;

export const CardFieldSchema = z.object({ label: z.string(), value: z.string() });
export type CardField = z.infer<typeof CardFieldSchema>;

export const CardButtonSchema = z.object({
  label: z.string(),
  /** Action key sent back on click: "<verb>:<cardRef>[:<arg>]" (see cards/card-ref.ts). */
  action: z.string(),
  style: z.enum(["primary", "default", "danger"]).optional(),
});
export type CardButton = z.infer<typeof CardButtonSchema>;

export const CardSchema = z.object({
  /** Unique id of this delivery; also the WeCom task_id and DingTalk outTrackId. */
  ref: z.string(),
  /** The card kind (approval, visit_confirm, reminder…); routes clicks back to the kind's actions. */
  purpose: z.string(),
  title: z.string(),
  subtitle: z.string().optional(),
  tone: ToneSchema.optional(),
  fields: z.array(CardFieldSchema),
  /** Free text lines under the fields. */
  lines: z.array(z.string()).optional(),
  buttons: z.array(CardButtonSchema),
  /** After a decision: shown instead of the buttons, for every recipient. */
  status: z.object({ text: z.string(), tone: ToneSchema }).optional(),
  /** Text commands that do what the buttons do, for channels without interactive cards. */
  textCommands: z.array(z.string()).optional(),
  /** A chart or picture URL (metrics). */
  imageUrl: z.string().optional(),
});
export type Card = z.infer<typeof CardSchema>;

/** A card after a decision: no buttons or typed commands left, the outcome shown instead. */
export function decidedCard(previous: Card, text: string, tone: Tone = "success"): Card {
  return { ...previous, tone, buttons: [], textCommands: [], status: { text, tone } };
}
