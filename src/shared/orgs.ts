/** Organisation kinds, their hierarchy rules and the input schemas shared by server and web. */
import { z } from 'zod';

export const ORG_KINDS = ['committee', 'general_branch', 'branch', 'group'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

/** Which kinds may sit directly under which (党小组 only under 党支部; nothing under 党小组). */
export const ALLOWED_CHILD_KINDS: Record<OrgKind, readonly OrgKind[]> = {
  committee: ['committee', 'general_branch', 'branch'],
  general_branch: ['branch'],
  branch: ['group'],
  group: [],
};

export const TERM_STATUSES = ['ok', 'due_soon', 'overdue', 'none'] as const;
export type TermStatus = (typeof TERM_STATUSES)[number];

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'must be a date YYYY-MM-DD')
  .refine(
    (s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s),
    {
      message: 'is not a real calendar date',
    },
  );

const orgFields = {
  name: z.string().trim().min(2, 'must have at least 2 characters').max(100, 'must be at most 100 characters'),
  kind: z.enum(ORG_KINDS),
  isJoint: z.boolean().optional(),
  unitName: z.string().trim().max(100).nullable().optional(),
  divisionCode: z
    .string()
    .regex(/^\d{2}(\d{2}){0,2}$/, 'must be a 2-, 4- or 6-digit administrative division code')
    .nullable()
    .optional(),
  foundedOn: isoDate.nullable().optional(),
  termStart: isoDate.nullable().optional(),
  termYears: z.number().int().min(1).max(5).optional(),
};

export const orgCreateSchema = z.object({ parentId: z.number().int().positive(), ...orgFields }).strict();
export const orgUpdateSchema = z.object(orgFields).partial().strict();
export const orgMoveSchema = z.object({ parentId: z.number().int().positive() }).strict();
export type OrgCreateInput = z.infer<typeof orgCreateSchema>;
export type OrgUpdateInput = z.infer<typeof orgUpdateSchema>;

export interface Org {
  id: number;
  parentId: number | null;
  name: string;
  kind: OrgKind;
  isJoint: boolean;
  unitName: string | null;
  divisionCode: string | null;
  divisionName: string | null;
  foundedOn: string | null;
  termStart: string | null;
  termYears: number;
  termEnd: string | null;
  termStatus: TermStatus;
  depth: number;
  path: number[];
  childCount: number;
  memberCount: number;
  createdAt: string;
  updatedAt: string;
}
