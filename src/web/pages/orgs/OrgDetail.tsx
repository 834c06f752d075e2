/** Detail card of the selected organisation with its write actions (only with `org.write`). */
import { DeleteOutlined, DragOutlined, EditOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Card, Descriptions, Flex, Popconfirm, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { deleteOrg } from '../../api/orgs';
import type { Org } from '../../api/types';
import { formatDate } from '../../components/format';
import { OrgKindTag, TermStatusTag } from '../../components/OrgTags';
import { useErrorText } from '../../hooks/useErrorText';
import { ORGS_KEY, type OrgIndex } from '../../hooks/useOrgs';
import { MoveOrgModal } from './MoveOrgModal';
import { OrgFormModal, type OrgFormMode } from './OrgFormModal';

interface Props {
  org: Org;
  index: OrgIndex;
  canWrite: boolean;
  onSelect: (id: string | null) => void;
}

export function OrgDetail({ org, index, canWrite, onSelect }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [formMode, setFormMode] = useState<OrgFormMode | null>(null);
  const [moving, setMoving] = useState(false);
  const [actionError, setActionError] = useState<string | null>(null);
  const parent = org.parentId === null ? undefined : index.byId.get(String(org.parentId));
  const path = org.path.map((id) => index.byId.get(String(id))?.name).filter(Boolean);

  const remove = useMutation({
    mutationFn: () => deleteOrg(org.id),
    onSuccess: async () => {
      message.success(t('orgs.deleted'));
      setActionError(null);
      onSelect(parent ? String(parent.id) : null);
      await client.invalidateQueries({ queryKey: ORGS_KEY });
    },
    onError: (error) => {
      const text = errorText(error);
      setActionError(text);
      message.error(text);
    },
  });

  const afterWrite = async (saved: Org) => {
    setActionError(null);
    await client.invalidateQueries({ queryKey: ORGS_KEY });
    onSelect(String(saved.id));
  };

  return (
    <Card
      data-testid="org-detail"
      title={
        <Flex gap={8} align="center" wrap>
          <span data-testid="org-detail-name">{org.name}</span>
          <OrgKindTag org={org} />
        </Flex>
      }
    >
      {canWrite ? (
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Button
            type="primary"
            icon={<PlusOutlined />}
            data-testid="btn-add-child"
            disabled={org.kind === 'group'}
            onClick={() => setFormMode({ type: 'create', parent: org })}
          >
            {t('orgs.addChild')}
          </Button>
          <Button icon={<EditOutlined />} data-testid="btn-edit" onClick={() => setFormMode({ type: 'edit', org })}>
            {t('orgs.edit')}
          </Button>
          <Button icon={<DragOutlined />} data-testid="btn-move" disabled={!parent} onClick={() => setMoving(true)}>
            {t('orgs.move')}
          </Button>
          <Popconfirm
            title={t('orgs.deleteConfirm', { name: org.name })}
            okText={t('common.delete')}
            cancelText={t('common.cancel')}
            okButtonProps={{ danger: true, loading: remove.isPending }}
            onConfirm={() => remove.mutateAsync().catch(() => undefined)}
          >
            <Button danger icon={<DeleteOutlined />} data-testid="btn-delete">
              {t('orgs.delete')}
            </Button>
          </Popconfirm>
        </Flex>
      ) : null}
      {actionError ? (
        <Alert
          type="error"
          showIcon
          title={t('orgs.deleteDenied')}
          description={actionError}
          closable={{ onClose: () => setActionError(null) }}
          style={{ marginBottom: 16 }}
          data-testid="org-action-error"
        />
      ) : null}
      <Descriptions
        bordered
        size="small"
        column={{ xs: 1, sm: 1, md: 1, lg: 2, xl: 2, xxl: 2 }}
        items={[
          { key: 'kind', label: t('orgs.fields.kind'), children: <OrgKindTag org={org} /> },
          { key: 'unit', label: t('orgs.fields.unitName'), children: org.unitName || '—' },
          {
            key: 'division',
            label: t('orgs.fields.division'),
            children: org.divisionCode ? `${org.divisionName ?? ''}（${org.divisionCode}）` : '—',
          },
          { key: 'founded', label: t('orgs.fields.foundedOn'), children: formatDate(org.foundedOn) },
          {
            key: 'term',
            label: t('orgs.fields.term'),
            children: org.termStart
              ? t('orgs.termRange', { start: org.termStart, end: formatDate(org.termEnd), years: org.termYears ?? '?' })
              : formatDate(org.termEnd),
          },
          { key: 'status', label: t('orgs.fields.termStatus'), children: <TermStatusTag status={org.termStatus} /> },
          {
            key: 'children',
            label: t('orgs.fields.childCount'),
            children: <span data-testid="org-child-count">{org.childCount}</span>,
          },
          { key: 'members', label: t('orgs.fields.memberCount'), children: org.memberCount },
          {
            key: 'path',
            label: t('orgs.fields.path'),
            span: 'filled',
            children:
              path.length > 0 ? (
                <Typography.Text type="secondary">{[...path, org.name].join(' / ')}</Typography.Text>
              ) : (
                '—'
              ),
          },
        ]}
      />
      {formMode ? (
        <OrgFormModal
          mode={formMode}
          onClose={() => setFormMode(null)}
          onSaved={async (saved) => {
            setFormMode(null);
            message.success(formMode.type === 'create' ? t('orgs.created', { name: saved.name }) : t('orgs.updated'));
            await afterWrite(saved);
          }}
        />
      ) : null}
      {moving ? (
        <MoveOrgModal
          org={org}
          index={index}
          onClose={() => setMoving(false)}
          onMoved={async (saved) => {
            setMoving(false);
            const target = index.byId.get(String(saved.parentId));
            message.success(t('orgs.moved', { name: target?.name ?? '' }));
            await afterWrite(saved);
          }}
        />
      ) : null}
    </Card>
  );
}
