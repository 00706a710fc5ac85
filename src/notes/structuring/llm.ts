/**
 * Optional LLM pass: when LLM_BASE_URL and LLM_MODEL are set, a langchain chain (prompt templates in prompts/,
 * ChatOpenAI against any OpenAI-compatible server, e.g. a local Ollama or vLLM) proposes problems, medications
 * and allergies the rules missed. Its JSON is validated with zod, and every proposed item must quote words that
 * exist in the note: items whose quote cannot be found are dropped. Accepted items get the same context,
 * lexicon codes and sig parsing as rule-found items, and are marked `source: 'llm'`. Never required.
 */
import type { ChatPromptTemplate } from '@langchain/core/prompts';
import { z } from 'zod';
import { mentionContext } from './context.ts';
import { NoteDocument } from './document.ts';
import { lexicons } from './lexicons.ts';
import { rxnormCoding } from './medications.ts';
import { problemCategory } from './problems.ts';
import type { Allergy, Medication, Problem, Span, StructuredNote } from './schema.ts';
import { parseSig } from './sig.ts';
import { tokenIndexAt } from '../../text/tokens.ts';

export interface LlmConfig {
  /** OpenAI-compatible base URL, e.g. http://127.0.0.1:11434/v1 (Ollama) or http://127.0.0.1:8000/v1. */
  baseUrl: string;
  model: string;
  apiKey?: string;
  timeoutMs?: number;
}

/** The LLM settings from the environment, or null unless both LLM_BASE_URL and LLM_MODEL are set. */
export function llmConfigFromEnv(env: { LLM_BASE_URL?: string | undefined; LLM_MODEL?: string | undefined; LLM_API_KEY?: string | undefined }): LlmConfig | null {
  if (!env.LLM_BASE_URL || !env.LLM_MODEL) return null;
  return { baseUrl: env.LLM_BASE_URL, model: env.LLM_MODEL, ...(env.LLM_API_KEY ? { apiKey: env.LLM_API_KEY } : {}) };
}

const quote = z.string().trim().min(2).max(200);

export const llmProposalSchema = z.object({
  problems: z.array(z.object({ quote, icd10cm: z.string().trim().nullish() })).default([]),
  medications: z.array(z.object({ quote })).default([]),
  allergies: z.array(z.object({ substance: quote, reaction: quote.nullish() })).default([]),
});
export type LlmProposal = z.infer<typeof llmProposalSchema>;

/** The structuring prompt's two templates (prompts/structure-note.*.txt). */
export interface StructuringPrompts {
  system: string;
  user: string;
}

let readPrompts: (() => StructuringPrompts) | undefined;

/** Installs where the prompt templates come from (the process's composition root does, once). */
export function useStructuringPrompts(read: () => StructuringPrompts): void {
  readPrompts = read;
}

// langchain loads only when an LLM is configured: it is most of the service's start-up import time otherwise.
async function loadPrompt(): Promise<ChatPromptTemplate> {
  if (!readPrompts) throw new Error('no structuring prompts installed: the composition root calls installModelFiles (src/model-files.ts)');
  const { ChatPromptTemplate } = await import('@langchain/core/prompts');
  const { system, user } = readPrompts();
  return ChatPromptTemplate.fromMessages([
    ['system', system],
    ['human', user],
  ]);
}

/** The JSON object in a model reply (models sometimes wrap it in prose or a code fence). */
export function parseProposal(reply: string): LlmProposal | null {
  const start = reply.indexOf('{');
  const end = reply.lastIndexOf('}');
  if (start < 0 || end <= start) return null;
  try {
    const parsed = llmProposalSchema.safeParse(JSON.parse(reply.slice(start, end + 1)));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

function foundSummary(note: StructuredNote): string {
  const lines = [
    ...note.problems.map((p) => `problem: ${p.text}`),
    ...note.medications.map((m) => `medication: ${m.name}`),
    ...note.allergies.map((a) => `allergy: ${a.substance?.text ?? a.text}`),
  ];
  return lines.length > 0 ? lines.join('\n') : '(none)';
}

/** Asks the model for items the rules missed; null when the reply is not valid proposal JSON. */
export async function proposeWithLlm(text: string, note: StructuredNote, config: LlmConfig): Promise<LlmProposal | null> {
  const { ChatOpenAI } = await import('@langchain/openai');
  const model = new ChatOpenAI({
    model: config.model,
    temperature: 0,
    apiKey: config.apiKey ?? 'not-needed',
    timeout: config.timeoutMs ?? 60_000,
    maxRetries: 1,
    configuration: { baseURL: config.baseUrl },
  });
  const reply = await (await loadPrompt()).pipe(model).invoke({ note: text, found: foundSummary(note) });
  const content = typeof reply.content === 'string' ? reply.content : reply.content.map((c) => ('text' in c ? c.text : '')).join('');
  return parseProposal(content);
}

/**
 * Where a quote stands in the text: an exact occurrence first, then a case- and spacing-insensitive one,
 * skipping spans already taken. Null when the text does not contain it: the item is then dropped.
 */
export function locateQuote(text: string, q: string, taken: ReadonlyArray<Span>): Span | null {
  const free = (start: number, end: number) => !taken.some((t) => start < t.end && end > t.start);
  const wordChar = /[\p{L}\d]/u;
  const bounded = (start: number, end: number) => !wordChar.test(text[start - 1] ?? '') && !wordChar.test(text[end] ?? '');
  for (let i = text.indexOf(q); i >= 0; i = text.indexOf(q, i + 1)) {
    if (free(i, i + q.length) && bounded(i, i + q.length)) return { start: i, end: i + q.length, text: q };
  }
  const words = q.split(/\s+/).filter(Boolean).map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return null;
  for (const m of text.matchAll(new RegExp(`(?<![\\p{L}\\d])${words.join('\\s+')}(?![\\p{L}\\d])`, 'giu'))) {
    if (free(m.index, m.index + m[0].length)) return { start: m.index, end: m.index + m[0].length, text: m[0] };
  }
  return null;
}

const icd10Format = /^[A-TV-Z]\d[0-9A-Z](\.[0-9A-Z]{1,4})?$/;

/** Merges verified proposals into a copy of the note. */
export function mergeProposal(text: string, note: StructuredNote, proposal: LlmProposal): StructuredNote {
  const doc = new NoteDocument(text);
  doc.sections = note.sections.map((s) => ({
    id: s.id, type: s.type, headerStart: s.header?.start ?? null, headerEnd: s.header?.end ?? null, start: s.start, end: s.end, confidence: s.confidence,
  }));
  const lex = lexicons();
  const problems: Problem[] = [...note.problems];
  const medications: Medication[] = [...note.medications];
  const allergies: Allergy[] = [...note.allergies];

  for (const item of proposal.problems) {
    const span = locateQuote(text, item.quote, problems);
    if (!span) continue;
    const first = tokenIndexAt(doc.tokens, span.start);
    const known = lex.problems.matchAt(doc.tokens, first);
    const codes = known && known.end === span.end ? known.value.codes : item.icd10cm && icd10Format.test(item.icd10cm) ? [item.icd10cm] : [];
    const section = doc.sectionAt(span.start);
    problems.push({
      id: `p${problems.length + 1}`,
      ...span,
      category: codes[0] ? problemCategory(codes[0]) : 'finding',
      term: known && known.end === span.end ? known.value.display : span.text,
      candidateCodes: codes,
      matchedBy: 'llm',
      sectionId: section?.id ?? null,
      sectionType: section?.type ?? null,
      context: mentionContext(doc, span.start, span.end, section?.type ?? null),
      confidence: codes.length > 0 ? 0.6 : 0.5,
      source: 'llm',
    });
  }

  for (const item of proposal.medications) {
    const span = locateQuote(text, item.quote, medications);
    if (!span) continue;
    const first = tokenIndexAt(doc.tokens, span.start);
    const known = lex.drugs.matchAt(doc.tokens, first);
    const lineEnd = text.indexOf('\n', span.end);
    const sig = parseSig(text.slice(span.end, Math.min(lineEnd < 0 ? text.length : lineEnd, span.end + 120)), span.end);
    const section = doc.sectionAt(span.start);
    const end = Math.max(span.end, ...[sig.strength, sig.dose, sig.route, sig.frequency, sig.duration].map((s) => s?.end ?? 0));
    medications.push({
      id: `m${medications.length + 1}`,
      start: span.start,
      end,
      text: text.slice(span.start, end),
      name: span.text,
      ingredient: known ? known.value.display : span.text.toLowerCase(),
      rxcui: known && known.value.rxcuis.length === 1 ? known.value.rxcuis[0]! : null,
      rxcuis: known ? known.value.rxcuis : [],
      rxnorm: known ? rxnormCoding(known.value) : null,
      brand: known ? known.value.brand : false,
      ...sig,
      status: section?.type === 'medications' ? 'active' : 'unknown',
      statusCue: null,
      sectionId: section?.id ?? null,
      sectionType: section?.type ?? null,
      context: mentionContext(doc, span.start, span.end, section?.type ?? null),
      confidence: known ? 0.7 : 0.5,
      source: 'llm',
    });
  }

  for (const item of proposal.allergies) {
    const substance = locateQuote(text, item.substance, allergies.flatMap((a) => (a.substance ? [a.substance] : [])));
    if (!substance) continue;
    const reaction = item.reaction ? locateQuote(text, item.reaction, [substance]) : null;
    const end = Math.max(substance.end, reaction?.end ?? 0);
    allergies.push({
      id: `a${allergies.length + 1}`,
      start: substance.start,
      end,
      text: text.slice(substance.start, end),
      noKnownAllergies: false,
      scope: null,
      substance: { ...substance, display: substance.text, system: null, code: null, category: null, rxcui: null },
      reactions: reaction ? [{ ...reaction, display: reaction.text.toLowerCase(), system: null, code: null, codeDisplay: null }] : [],
      severity: null,
      sectionId: doc.sectionAt(substance.start)?.id ?? null,
      confidence: 0.5,
      source: 'llm',
    });
  }

  const byStart = <T extends { start: number }>(items: T[]) => [...items].sort((a, b) => a.start - b.start);
  return { ...note, problems: byStart(problems), medications: byStart(medications), allergies: byStart(allergies) };
}

/** The note with the LLM's verified additions merged in (the note unchanged if the reply is unusable). */
export async function augmentWithLlm(text: string, note: StructuredNote, config: LlmConfig): Promise<StructuredNote> {
  const proposal = await proposeWithLlm(text, note, config);
  return proposal ? mergeProposal(text, note, proposal) : note;
}
