import * as z from 'zod';
import { ExtraTagsSchema, ImageRefSchema, IsoTimeSchema, LoopProgressSchema, PlanNameSchema, RegionSchema, TargetSchema } from './common.js';

/** Input of `image` (a loop task): creates, or finds, one AMI per target in the primary region. */
export const ImageInputSchema = z.strictObject({
  planName: PlanNameSchema,
  region: RegionSchema,
  /** The backup execution's start time; part of the AMI name and the tags. */
  recoveryPointTime: IsoTimeSchema,
  isNoReboot: z.boolean(),
  /** Put the instance's own tags on the AMI too (so CopyImageTags carries them on). */
  copyInstanceTags: z.boolean(),
  deadline: IsoTimeSchema,
  targets: z.array(TargetSchema),
  /** At most this many AMIs of the batch `pending` at once (the plan's `backup.maxConcurrentImages`); absent: no limit. */
  maxInFlight: z.number().int().min(1).optional(),
  /** The previous pass's output, absent on the first pass. */
  images: z.array(ImageRefSchema).optional(),
  /** Extra tags from the plan (`tags`). Lifeboat extension to the contract; optional. */
  tags: ExtraTagsSchema.optional(),
});
/** Input of `image`. */
export type ImageInput = z.infer<typeof ImageInputSchema>;

/** Output of `image`. */
export const ImageOutputSchema = z.strictObject({
  images: z.array(ImageRefSchema),
  ...LoopProgressSchema,
});
/** Output of `image`. */
export type ImageOutput = z.infer<typeof ImageOutputSchema>;
