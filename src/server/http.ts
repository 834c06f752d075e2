/** Small shared request schemas. */
import { z } from 'zod';

export const idParams = z.object({ id: z.coerce.number().int().positive() });

export const paging = {
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(10000).default(20),
};
