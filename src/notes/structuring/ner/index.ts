/**
 * Learned disease and chemical mention finder (see models/ner/MODEL_CARD.md): load the artifacts once with
 * `loadNerModel(dir)`, then `findMentions(model, text)`.
 */
export { findMentions, type FindOptions, type NerHead, type NerMention, type NerMentionType, type NerModel } from './model.ts';
export { loadNerModel, NerModelError } from './load.ts';
export { gazetteerMentions } from './tokens.ts';
