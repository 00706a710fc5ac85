/**
 * Learned disease and chemical mention finder (see models/ner/MODEL_CARD.md): load the artifacts once with
 * `loadNerModel(dir)` (`ner-files.ts`, an adapter the domain does not import), then `findMentions(model, text)`.
 */
export { findMentions, type FindOptions, type NerHead, type NerMention, type NerMentionType, type NerModel } from './model.ts';
export { gazetteerMentions } from './tokens.ts';
