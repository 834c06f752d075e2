/** Create an account (with an initial password the user must change) or edit its display name. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { createUser, updateUser } from '../../api/admin';
import type { AdminUser } from '../../api/types';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';

interface Values {
  username: string;
  displayName: string;
  password: string;
}

const FIELDS = ['username', 'displayName', 'password'] as const;

export function UserFormModal({ user, onClose }: { user?: AdminUser; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);

  const save = useMutation({
    mutationFn: (values: Values) =>
      user
        ? updateUser(user.id, { displayName: values.displayName.trim() })
        : createUser({
            username: values.username.trim(),
            displayName: values.displayName.trim(),
            password: values.password,
          }),
    onSuccess: async (saved) => {
      message.success(user ? t('common.saved') : t('users.created', { name: saved.username }));
      await client.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (caught) => {
      if (!showFieldError(form, caught, FIELDS, errorText)) setError(errorText(caught));
    },
  });

  return (
    <Modal
      open
      title={user ? t('users.editTitle') : t('users.createTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      confirmLoading={save.isPending}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ username: user?.username ?? '', displayName: user?.displayName ?? '', password: '' }}
        onFinish={(values) => {
          setError(null);
          save.mutate(values);
        }}
        data-testid="user-form"
      >
        <Form.Item
          name="username"
          label={t('users.username')}
          rules={[{ required: true, whitespace: true, message: t('common.required', { field: t('users.username') }) }]}
        >
          <Input disabled={Boolean(user)} autoComplete="off" />
        </Form.Item>
        <Form.Item
          name="displayName"
          label={t('users.displayName')}
          rules={[
            { required: true, whitespace: true, message: t('common.required', { field: t('users.displayName') }) },
          ]}
        >
          <Input />
        </Form.Item>
        {user ? null : (
          <Form.Item
            name="password"
            label={t('users.initialPassword')}
            extra={`${t('users.initialPasswordHint')}；${t('password.policyHint')}`}
            rules={[{ required: true, message: t('common.required', { field: t('users.initialPassword') }) }]}
          >
            <Input.Password autoComplete="new-password" />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
