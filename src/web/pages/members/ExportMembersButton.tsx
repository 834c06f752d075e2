/**
 * 导出: the roster of the chosen subtree as .xlsx, masked. With `member.reveal` a second choice exports the full
 * numbers, behind a confirmation that says the export is audited.
 */
import { DownloadOutlined, DownOutlined, ExclamationCircleOutlined } from '@ant-design/icons';
import { App, Button, type ButtonProps, Dropdown, Space } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveFile } from '../../api/client';
import { exportMembers } from '../../api/members';
import { useErrorText } from '../../hooks/useErrorText';
import { useOrgs } from '../../hooks/useOrgs';

interface Props {
  org?: string;
  canReveal: boolean;
  compact?: boolean;
}

export function ExportMembersButton({ org, canReveal, compact }: Props) {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const errorText = useErrorText();
  const { index } = useOrgs();
  const [busy, setBusy] = useState(false);
  const scopeName = org ? (index.byId.get(org)?.name ?? org) : t('header.allOrgs');

  const run = async (unmasked: boolean) => {
    setBusy(true);
    const hide = message.loading(t('members.exporting'), 0);
    try {
      const file = await exportMembers(org, unmasked);
      saveFile(file);
      message.success(t('members.exported', { name: file.filename }));
    } catch (error) {
      message.error(errorText(error));
    } finally {
      hide();
      setBusy(false);
    }
  };

  const main = (
    <Button icon={<DownloadOutlined />} loading={busy} onClick={() => void run(false)} data-testid="btn-export">
      {compact ? null : t('members.export')}
    </Button>
  );
  if (!canReveal) return main;
  return (
    <Space.Compact>
      {main}
      <Dropdown
        trigger={['click']}
        menu={{
          items: [
            { key: 'masked', label: t('members.exportMasked'), icon: <DownloadOutlined /> },
            {
              key: 'unmasked',
              label: <span data-testid="menu-export-unmasked">{t('members.exportUnmasked')}</span>,
              icon: <ExclamationCircleOutlined />,
              danger: true,
            },
          ],
          onClick: ({ key }) => {
            if (key === 'masked') {
              void run(false);
              return;
            }
            modal.confirm({
              title: t('members.exportUnmaskedTitle'),
              content: (
                <>
                  <p>{t('members.exportUnmaskedContent')}</p>
                  <p>{t('members.exportScope', { name: scopeName })}</p>
                </>
              ),
              okText: t('members.exportUnmasked'),
              okButtonProps: { danger: true, 'data-testid': 'confirm-export-unmasked' } as ButtonProps,
              cancelText: t('common.cancel'),
              onOk: () => run(true),
            });
          },
        }}
      >
        <Button
          icon={<DownOutlined />}
          disabled={busy}
          aria-label={t('members.exportUnmasked')}
          data-testid="btn-export-more"
        />
      </Dropdown>
    </Space.Compact>
  );
}
