/** Coloured tags for an organisation's kind and its 换届 status. */
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Org, TermStatus } from '../api/types';

const KIND_COLOURS: Record<Org['kind'], string> = {
  committee: 'red',
  general_branch: 'volcano',
  branch: 'gold',
  group: 'blue',
};

export function OrgKindTag({ org }: { org: Pick<Org, 'kind' | 'isJoint'> }) {
  const { t } = useTranslation();
  const joint = org.kind === 'branch' && org.isJoint;
  return (
    <Tag color={joint ? 'purple' : KIND_COLOURS[org.kind]} style={{ marginInlineEnd: 0 }}>
      {joint ? t('orgKind.joint') : t(`orgKind.${org.kind}`)}
    </Tag>
  );
}

const STATUS_COLOURS: Record<TermStatus, string> = {
  ok: 'green',
  due_soon: 'orange',
  overdue: 'red',
  none: 'default',
};

export function TermStatusTag({ status }: { status: TermStatus }) {
  const { t } = useTranslation();
  return <Tag color={STATUS_COLOURS[status]}>{t(`termStatus.${status}`)}</Tag>;
}

export function isTermDue(status: TermStatus): boolean {
  return status === 'due_soon' || status === 'overdue';
}
