/** Tags for a member's category, status and party posts; labels of the Chinese-valued enumerations. */
import { Flex, Tag, Tooltip } from 'antd';
import { useTranslation } from 'react-i18next';
import type { MemberCategory, MemberPost, MemberStatus, PartyPost } from '../api/types';

const STATUS_COLOURS: Record<MemberStatus, string> = {
  normal: 'green',
  floating: 'blue',
  abroad: 'cyan',
  suspended: 'orange',
  left: 'default',
  deceased: 'default',
  transferred_out: 'purple',
};

export function CategoryTag({ category }: { category: MemberCategory }) {
  const { t } = useTranslation();
  return (
    <Tag color={category === 'full' ? 'red' : 'gold'} style={{ marginInlineEnd: 0 }}>
      {t(`memberCategory.${category}`)}
    </Tag>
  );
}

export function MemberStatusTag({ status }: { status: MemberStatus }) {
  const { t } = useTranslation();
  return (
    <Tag color={STATUS_COLOURS[status]} style={{ marginInlineEnd: 0 }}>
      {t(`memberStatus.${status}`)}
    </Tag>
  );
}

export function PostTag({ post, fullTime }: { post: PartyPost; fullTime?: boolean }) {
  const { t } = useTranslation();
  return (
    <Tag color={fullTime ? 'volcano' : 'default'} style={{ marginInlineEnd: 0 }}>
      {t(`partyPost.${post}`)}
      {fullTime ? `·${t('posts.fullTime')}` : ''}
    </Tag>
  );
}

/** Current (not ended) posts, with the org as a tooltip when a name lookup is given. */
export function PostTags({ posts, orgName }: { posts: MemberPost[]; orgName?: (id: MemberPost['orgId']) => string }) {
  const active = posts.filter((post) => !post.endedAt);
  if (active.length === 0) return <>—</>;
  return (
    <Flex gap={4} wrap>
      {active.map((post) => (
        <Tooltip key={`${post.post}-${post.orgId}`} title={orgName?.(post.orgId)}>
          <span>
            <PostTag post={post.post} fullTime={post.fullTime} />
          </span>
        </Tooltip>
      ))}
    </Flex>
  );
}

/** Ethnicity and education are stored in Chinese (the API's values); the locale may name them otherwise. */
export function useMemberLabels() {
  const { t, i18n } = useTranslation();
  const lookup = (group: string, value: string | null | undefined) => {
    if (!value) return '—';
    return i18n.exists(`${group}.${value}`) ? t(`${group}.${value}`) : value;
  };
  return {
    ethnicity: (value: string | null | undefined) => lookup('ethnicity', value),
    education: (value: string | null | undefined) => lookup('education', value),
  };
}
