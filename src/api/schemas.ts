import { z } from '@hono/zod-openapi';

/** Schemas shared by several route modules. */
export const IdParam = z.object({
  id: z.uuid().openapi({ param: { name: 'id', in: 'path' }, example: '0b5e7c1e-3f3c-4a53-9a44-8d1c1b2f9a10' }),
});

export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50).openapi({ description: 'Page size (1–200, default 50)' }),
  cursor: z.string().max(512).optional().openapi({ description: 'The `nextCursor` of the previous page' }),
});

export const pageOf = <T extends z.ZodType>(item: T, name: string) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() }).openapi(name);

/** Clinical and audit dates fall in these years; year 9999 or 0000 is a typo or a probe, not a date. */
export const PLAUSIBLE_YEARS = { min: 1900, max: 2200 } as const;
const plausibleYear = (value: string) => {
  const year = Number(value.slice(0, 4));
  return year >= PLAUSIBLE_YEARS.min && year <= PLAUSIBLE_YEARS.max;
};
const yearMessage = `the year must be between ${PLAUSIBLE_YEARS.min} and ${PLAUSIBLE_YEARS.max}`;

export const IsoDateTime = z.iso.datetime({ offset: true }).refine(plausibleYear, yearMessage);

/** A calendar date (YYYY-MM-DD) in the plausible years. */
export const IsoDate = z.iso.date().refine(plausibleYear, yearMessage);
