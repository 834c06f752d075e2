/** Centered card on a plain background: login, the second factor and the forced password change. */
import { Card, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitch } from './LanguageSwitch';
import { PartyEmblem } from './PartyEmblem';

export function AuthShell({ title, children }: { title: string; children: ReactNode }) {
  const { t } = useTranslation();
  return (
    <div className="auth-shell">
      <div className="auth-shell__lang">
        <LanguageSwitch />
      </div>
      <div className="auth-shell__inner">
        <div className="auth-shell__brand">
          <PartyEmblem size={44} />
          <div>
            <Typography.Title level={2} style={{ margin: 0 }}>
              {t('app.name')}
            </Typography.Title>
            <Typography.Text type="secondary">{t('app.tagline')}</Typography.Text>
          </div>
        </div>
        <Card title={title} className="auth-shell__card">
          {children}
        </Card>
        <Typography.Paragraph type="secondary" className="auth-shell__footer">
          {t('login.footer')}
        </Typography.Paragraph>
      </div>
    </div>
  );
}
