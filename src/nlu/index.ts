/** Natural-language understanding: chat text → validated Intent. */
export { IntentSchema, LogVisitSchema, OrderItemSchema, IsoDateTimeSchema, OrderNoSchema, INTENT_NAMES, type Intent, type IntentName, type IntentOf, type OrderItem, type PriceItem } from "./intent.ts";
export type { IntentParser, ParseContext } from "./parser.ts";
export { createRulesParser } from "./rules/index.ts";
export { createLlmParser, type LlmMode, type LlmParserOptions } from "./llm/index.ts";
export {
  normalizeCompanyName, stripSpokenFiller, rankCustomers, decideMatch, MATCH_MIN, EXACT_MIN, CLOSE_GAP,
  type CustomerCandidate, type RankedCustomer, type MatchDecision,
} from "./customer-match.ts";
export { normalizeOrderNo } from "./rules/orders.ts";
export { OCCURRED_MAX_DAYS } from "./rules/dates.ts";
export { parseVisitCorrection, looksLikeVisitCorrection, gluedVisitCorrection, VisitCorrectionSchema, type VisitCorrection } from "./visit-correction.ts";
export { parseOrderCorrection, looksLikeOrderCorrection, parseResubmission, looksLikeResubmission, type OrderCorrection, type Resubmission } from "./order-correction.ts";
