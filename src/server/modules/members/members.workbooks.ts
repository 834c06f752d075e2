/**
 * The template and the export: the roster's rows in the sheet's column layout (members.sheet.ts), masked unless
 * the caller asked for full numbers and may see them (checked by the route).
 */
import type { MemberCategory, MemberStatus } from '../../../shared/members.js';
import type { FieldCipher } from '../../crypto/sm.js';
import type { Executor } from '../../db/database.js';
import type { OrgScope } from '../orgs/orgs.repository.js';
import { orgLabel } from './members.import.js';
import * as repo from './members.repository.js';
import { CATEGORY_LABELS, COLUMNS, type ColumnKey, rosterWorkbook, STATUS_LABELS } from './members.sheet.js';

/** Drop-down labels of the orgs the caller may import into. */
async function writableOrgLabels(db: Executor, writeScope: OrgScope | null): Promise<string[]> {
  if (!writeScope) return [];
  const shared = await repo.sharedOrgNames(db);
  return (await repo.orgsIn(db, writeScope)).map((o) => orgLabel(o, shared));
}

export async function templateWorkbook(db: Executor, writeScope: OrgScope): Promise<Buffer> {
  return rosterWorkbook(await writableOrgLabels(db, writeScope), []);
}

export async function exportWorkbook(
  db: Executor,
  cipher: FieldCipher,
  opts: { scopes: OrgScope[]; root?: number; unmasked: boolean; writeScope: OrgScope | null },
): Promise<{ buffer: Buffer; rows: number }> {
  const members = await repo.listAll(db, opts.scopes, opts.root);
  const shared = await repo.sharedOrgNames(db);
  const rows = members.map((m) => {
    const value: Record<ColumnKey, string | null> = {
      name: m.name,
      gender: m.gender,
      ethnicity: m.ethnicity,
      birthDate: m.birth_date,
      idNumber: opts.unmasked && m.id_enc ? cipher.decrypt(m.id_enc) : m.id_masked,
      phone: opts.unmasked && m.phone_enc ? cipher.decrypt(m.phone_enc) : m.phone_masked,
      education: m.education,
      unit: m.unit,
      title: m.title,
      org: orgLabel({ id: m.org_id, name: m.org_name }, shared),
      category: CATEGORY_LABELS[m.category as MemberCategory] ?? m.category,
      joinedAt: m.joined_at,
      fullAt: m.full_at,
      status: STATUS_LABELS[m.status as MemberStatus] ?? m.status,
    };
    return COLUMNS.map((c) => value[c.key]);
  });
  const buffer = await rosterWorkbook(await writableOrgLabels(db, opts.writeScope), rows);
  return { buffer, rows: rows.length };
}
