/** Add a role grant: the role, and for org-scoped roles the organisation (covering its subtree). */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Divider, Form, Select, TreeSelect, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError } from '../../api/client';
import { createGrant, fetchRoles } from '../../api/security';
import type { Id, RoleKey } from '../../api/types';
import { buildOrgTreeData } from '../../components/orgTreeData';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';
import { useOrgs } from '../../hooks/useOrgs';

interface Values {
  role: RoleKey;
  orgId?: string;
}

export function AddGrantForm({ userId }: { userId: Id }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const role = Form.useWatch('role', form);
  const [error, setError] = useState<string | null>(null);
  const roles = useQuery({ queryKey: ['roles'], queryFn: fetchRoles, staleTime: 300_000 });
  const scoped = roles.data?.find((item) => item.key === role)?.scoped ?? false;
  const orgs = useOrgs(scoped);
  const treeData = useMemo(() => buildOrgTreeData(orgs.index, orgs.index.roots), [orgs.index]);

  const add = useMutation({
    mutationFn: (values: Values) => {
      const org = values.orgId ? orgs.index.byId.get(values.orgId) : undefined;
      return createGrant({ userId, role: values.role, orgId: scoped ? (org?.id ?? values.orgId) : undefined });
    },
    onSuccess: async () => {
      message.success(t('grants.added'));
      setError(null);
      form.resetFields();
      await client.invalidateQueries({ queryKey: ['grants'] });
      await client.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (caught) => {
      // 三员分立 conflicts get the prominent alert even though the server names the role field.
      if (caught instanceof ApiError && caught.code === 'admin_role_conflict') setError(errorText(caught));
      else if (!showFieldError(form, caught, ['role', 'orgId'], errorText)) setError(errorText(caught));
    },
  });

  return (
    <>
      <Divider titlePlacement="start">{t('grants.add')}</Divider>
      {error ? (
        <Alert
          type="error"
          showIcon
          title={error}
          closable={{ onClose: () => setError(null) }}
          style={{ marginBottom: 16 }}
          data-testid="grant-error"
        />
      ) : null}
      <Form<Values>
        form={form}
        layout="inline"
        onFinish={(values) => {
          setError(null);
          add.mutate(values);
        }}
        style={{ rowGap: 12 }}
        data-testid="grant-form"
      >
        <Form.Item name="role" rules={[{ required: true, message: t('grants.roleRequired') }]}>
          <Select
            style={{ width: 200 }}
            placeholder={t('grants.role')}
            loading={roles.isLoading}
            options={(roles.data ?? []).map((item) => ({ value: item.key, label: t(`roles.${item.key}`) }))}
          />
        </Form.Item>
        {scoped ? (
          <Form.Item name="orgId" rules={[{ required: true, message: t('grants.orgRequired') }]}>
            <TreeSelect
              style={{ width: 320, maxWidth: '100%' }}
              placeholder={t('grants.org')}
              loading={orgs.isLoading}
              treeData={treeData}
              showSearch={{ treeNodeFilterProp: 'title' }}
              treeDefaultExpandedKeys={orgs.index.roots.map((org) => String(org.id))}
              popupMatchSelectWidth={false}
            />
          </Form.Item>
        ) : null}
        <Form.Item>
          <Button type="primary" htmlType="submit" loading={add.isPending}>
            {t('grants.add')}
          </Button>
        </Form.Item>
      </Form>
      {scoped ? (
        <Typography.Paragraph type="secondary" style={{ marginTop: 8 }}>
          {orgs.error ? t('grants.orgsUnavailable') : t('grants.scopeHint')}
        </Typography.Paragraph>
      ) : null}
    </>
  );
}
