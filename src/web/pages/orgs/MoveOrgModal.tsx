/** Move an organisation (with its subtree) under another visible organisation. */
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Form, Modal, TreeSelect } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { moveOrg } from '../../api/orgs';
import type { Org } from '../../api/types';
import { buildOrgTreeData } from '../../components/orgTreeData';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';
import { type OrgIndex, subtreeIds } from '../../hooks/useOrgs';
import { childKinds } from './OrgFormModal';

interface Props {
  org: Org;
  index: OrgIndex;
  onClose: () => void;
  onMoved: (org: Org) => Promise<void>;
}

export function MoveOrgModal({ org, index, onClose, onMoved }: Props) {
  const { t } = useTranslation();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ parentId: string }>();
  const [error, setError] = useState<string | null>(null);

  const treeData = useMemo(() => {
    const own = subtreeIds(index, org.id);
    return buildOrgTreeData(index, index.roots, {
      // Not into itself or its own subtree (a cycle), not where the kind may not live, not where it is.
      disabled: (target) =>
        own.has(String(target.id)) ||
        String(target.id) === String(org.parentId) ||
        !childKinds(target).includes(org.kind),
    });
  }, [index, org]);

  const move = useMutation({
    mutationFn: (parentId: string) => {
      const target = index.byId.get(parentId);
      return moveOrg(org.id, target ? target.id : parentId);
    },
    onSuccess: (saved) => onMoved(saved),
    onError: (caught) => {
      if (!showFieldError(form, caught, ['parentId'], errorText)) setError(errorText(caught));
    },
  });

  return (
    <Modal
      open
      title={t('orgs.moveModal.title', { name: org.name })}
      onCancel={onClose}
      destroyOnHidden
      footer={[
        <Button key="cancel" onClick={onClose}>
          {t('common.cancel')}
        </Button>,
        <Button
          key="ok"
          type="primary"
          loading={move.isPending}
          onClick={() => form.submit()}
          data-testid="move-submit"
        >
          {t('common.ok')}
        </Button>,
      ]}
    >
      <Alert type="info" showIcon title={t('orgs.moveModal.hint')} style={{ marginBottom: 16 }} />
      {error ? (
        <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} data-testid="move-error" />
      ) : null}
      <Form
        form={form}
        layout="vertical"
        onFinish={({ parentId }) => {
          setError(null);
          move.mutate(parentId);
        }}
      >
        <Form.Item
          name="parentId"
          label={t('orgs.moveModal.target')}
          rules={[{ required: true, message: t('orgs.moveModal.targetRequired') }]}
        >
          <TreeSelect
            data-testid="move-target"
            treeData={treeData}
            showSearch={{ treeNodeFilterProp: 'title' }}
            treeDefaultExpandedKeys={index.roots.map((root) => String(root.id))}
            placeholder={t('orgs.moveModal.targetRequired')}
            styles={{ popup: { root: { maxHeight: 400 } } }}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
