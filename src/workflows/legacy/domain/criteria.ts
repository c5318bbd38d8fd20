/** The designation schema as the legacy workflows parsed their input with it: frozen. */
import { z } from 'zod';
import { localDateSchema } from './calendar';

export const starRatingSchema = z.object({
  /** The star level from the village-organization star rating (星级化). */
  stars: z.number().int().min(0).max(5),
  ethnicUnityStar: z.boolean(),
  religiousHarmonyStar: z.boolean(),
  oneVoteVeto: z.boolean(),
});
export type StarRating = z.infer<typeof starRatingSchema>;

const criterionEntrySchema = z.object({
  criterion: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5), z.literal(6)], {
    error: 'must be one of the criteria 1–6 of 三',
  }),
  /** 1-based indexes into the criterion's points; optional. */
  points: z.array(z.number().int().min(1)).optional(),
  evidence: z.string().trim().min(1, 'evidence must not be empty'),
});

/** A designation as recorded: at least one criterion, each with evidence (三). */
export const designationSchema = z.object({
  village: z.string().min(1),
  date: localDateSchema,
  criteria: z.array(criterionEntrySchema).min(1, 'a designation names at least one criterion'),
  starRating: starRatingSchema.optional(),
  pairedDepartment: z.string().min(1).optional(),
  /** Set when the acceptance found the target transformed (转化提升). */
  transformedOn: localDateSchema.optional(),
  withdrawnOn: localDateSchema.optional(),
  withdrawalReason: z.string().trim().min(1).optional(),
});
export type Designation = z.infer<typeof designationSchema>;

