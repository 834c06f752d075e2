/** The roster's search box and filters: org subtree, category, status, post, age band. */
import { FilterOutlined } from '@ant-design/icons';
import { Badge, Button, Flex, Input, Select } from 'antd';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MEMBER_CATEGORIES, MEMBER_STATUSES, PARTY_POSTS } from '../../../shared/members';
import type { MemberQuery } from '../../api/members';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';

export const AGE_BANDS = {
  upTo35: { ageMax: 35 },
  from36to45: { ageMin: 36, ageMax: 45 },
  from46to55: { ageMin: 46, ageMax: 55 },
  from56to60: { ageMin: 56, ageMax: 60 },
  over60: { ageMin: 61 },
} as const satisfies Record<string, { ageMin?: number; ageMax?: number }>;
export type AgeBand = keyof typeof AGE_BANDS;

export interface MemberFilterValues {
  q?: string;
  org?: string;
  category?: MemberQuery['category'];
  status?: MemberQuery['status'];
  post?: MemberQuery['post'];
  age?: AgeBand;
}

export function toQuery(values: MemberFilterValues): Omit<MemberQuery, 'page' | 'pageSize'> {
  const { age, ...rest } = values;
  return { ...rest, ...(age ? AGE_BANDS[age] : {}) };
}

interface Props {
  value: MemberFilterValues;
  onChange: (value: MemberFilterValues) => void;
  /** The header's current org: what "reset" goes back to. */
  defaultOrg?: string;
  /** Phones: the filters fold away behind a button, the search box stays. */
  compact?: boolean;
}

export function MemberFilters({ value, onChange, defaultOrg, compact }: Props) {
  const { t } = useTranslation();
  const [text, setText] = useState(value.q ?? '');
  const [unfolded, setUnfolded] = useState(false);
  const active =
    [value.category, value.status, value.post, value.age].filter(Boolean).length +
    (value.org && value.org !== defaultOrg ? 1 : 0);
  const folded = compact && !unfolded;
  useEffect(() => setText(value.q ?? ''), [value.q]);
  const set = (patch: Partial<MemberFilterValues>) => onChange({ ...value, ...patch });

  return (
    <Flex gap={8} wrap className="filter-bar" data-testid="member-filters">
      <Input.Search
        allowClear
        value={text}
        onChange={(event) => setText(event.target.value)}
        onSearch={(next) => set({ q: next.trim() || undefined })}
        placeholder={t('members.searchPlaceholder')}
        aria-label={t('members.searchPlaceholder')}
        className="filter-bar__search"
        data-testid="member-search"
      />
      {compact ? (
        <Badge count={active} size="small">
          <Button
            icon={<FilterOutlined />}
            onClick={() => setUnfolded(!unfolded)}
            aria-expanded={unfolded}
            data-testid="btn-member-filters"
          >
            {t('members.filters')}
          </Button>
        </Badge>
      ) : null}
      {folded ? null : (
        <>
          <OrgTreeSelect
            value={value.org}
            onChange={(org) => set({ org })}
            allowClear
            placeholder={t('members.orgFilter')}
            aria-label={t('members.orgFilter')}
            className="filter-bar__org"
            data-testid="member-org-filter"
          />
          <Select
            allowClear
            value={value.category}
            onChange={(category) => set({ category })}
            placeholder={t('members.categoryFilter')}
            aria-label={t('members.categoryFilter')}
            className="filter-bar__select"
            options={MEMBER_CATEGORIES.map((key) => ({ value: key, label: t(`memberCategory.${key}`) }))}
            data-testid="member-category-filter"
          />
          <Select
            allowClear
            value={value.status}
            onChange={(status) => set({ status })}
            placeholder={t('members.statusFilter')}
            aria-label={t('members.statusFilter')}
            className="filter-bar__select"
            options={MEMBER_STATUSES.map((key) => ({ value: key, label: t(`memberStatus.${key}`) }))}
            data-testid="member-status-filter"
          />
          <Select
            allowClear
            value={value.post}
            onChange={(post) => set({ post })}
            placeholder={t('members.postFilter')}
            aria-label={t('members.postFilter')}
            className="filter-bar__select"
            options={PARTY_POSTS.map((key) => ({ value: key, label: t(`partyPost.${key}`) }))}
            data-testid="member-post-filter"
          />
          <Select
            allowClear
            value={value.age}
            onChange={(age) => set({ age })}
            placeholder={t('members.ageFilter')}
            aria-label={t('members.ageFilter')}
            className="filter-bar__select"
            options={(Object.keys(AGE_BANDS) as AgeBand[]).map((key) => ({
              value: key,
              label: t(`members.ageBands.${key}`),
            }))}
            data-testid="member-age-filter"
          />
          <Button
            onClick={() => {
              setText('');
              onChange({ org: defaultOrg });
            }}
          >
            {t('common.reset')}
          </Button>
        </>
      )}
    </Flex>
  );
}
