/** Row actions on an account: edit, disable/enable, unlock, reset password, end sessions. */
import { DownOutlined } from '@ant-design/icons';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { App, Button, Dropdown, Flex, Form, Input, Modal } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { resetPassword, revokeSessions, unlockUser, updateUser } from '../../api/admin';
import type { AdminUser } from '../../api/types';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';

type Action = 'disable' | 'enable' | 'unlock' | 'revoke';

export function UserActions({ user, onEdit }: { user: AdminUser; onEdit: () => void }) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [resetting, setResetting] = useState(false);

  const run = useMutation({
    mutationFn: (action: Action) => {
      switch (action) {
        case 'disable':
          return updateUser(user.id, { disabled: true });
        case 'enable':
          return updateUser(user.id, { disabled: false });
        case 'unlock':
          return unlockUser(user.id);
        case 'revoke':
          return revokeSessions(user.id);
      }
    },
    onSuccess: async () => {
      message.success(t('common.done'));
      await client.invalidateQueries({ queryKey: ['users'] });
    },
    onError: (error) => message.error(errorText(error)),
  });

  const confirmThen = (content: string, action: Action) =>
    modal.confirm({
      title: user.displayName || user.username,
      content,
      okText: t('common.ok'),
      cancelText: t('common.cancel'),
      onOk: () => run.mutateAsync(action).catch(() => undefined),
    });

  return (
    <Flex gap={4} wrap={false}>
      <Button type="link" size="small" onClick={onEdit}>
        {t('common.edit')}
      </Button>
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            user.disabled
              ? { key: 'enable', label: t('users.enable') }
              : { key: 'disable', label: t('users.disable'), danger: true },
            { key: 'unlock', label: t('users.unlock'), disabled: !user.locked },
            { key: 'reset', label: t('users.resetPassword') },
            { key: 'revoke', label: t('users.revokeSessions') },
          ],
          onClick: ({ key }) => {
            if (key === 'reset') setResetting(true);
            else if (key === 'disable') confirmThen(t('users.disableConfirm'), 'disable');
            else if (key === 'revoke') confirmThen(t('users.revokeConfirm'), 'revoke');
            else run.mutate(key as Action);
          },
        }}
      >
        <Button type="link" size="small">
          {t('users.more')} <DownOutlined />
        </Button>
      </Dropdown>
      {resetting ? <ResetPasswordModal user={user} onClose={() => setResetting(false)} /> : null}
    </Flex>
  );
}

function ResetPasswordModal({ user, onClose }: { user: AdminUser; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const [form] = Form.useForm<{ password: string }>();
  const reset = useMutation({
    mutationFn: (password: string) => resetPassword(user.id, password),
    onSuccess: async () => {
      message.success(t('common.done'));
      await client.invalidateQueries({ queryKey: ['users'] });
      onClose();
    },
    onError: (error) => {
      if (!showFieldError(form, error, ['password'], errorText)) {
        form.setFields([{ name: 'password', errors: [errorText(error)] }]);
      }
    },
  });
  return (
    <Modal
      open
      title={t('users.resetTitle', { name: user.displayName || user.username })}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.ok')}
      cancelText={t('common.cancel')}
      confirmLoading={reset.isPending}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" onFinish={({ password }) => reset.mutate(password)}>
        <Form.Item
          name="password"
          label={t('users.newPassword')}
          extra={`${t('users.initialPasswordHint')}；${t('password.policyHint')}`}
          rules={[{ required: true, message: t('common.required', { field: t('users.newPassword') }) }]}
        >
          <Input.Password autoComplete="new-password" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
