/**
 * `/`: welcome card (name, roles, scope); for member readers the roster and staffing figures; for org readers the
 * org counts and 换届 alerts.
 */
import { Card, Col, Row, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { accessFor } from '../../access';
import type { SessionUser } from '../../api/types';
import { useSession } from '../../hooks/useSession';
import { MemberStats } from './MemberStats';
import { OrgStats } from './OrgStats';
import { QuickLinks } from './QuickLinks';

function roleLabels(user: SessionUser, t: (key: string) => string): string[] {
  const labels = new Set<string>();
  if (user.adminRole) labels.add(t(`roles.${user.adminRole}`));
  for (const grant of user.grants) {
    labels.add(grant.orgName ? `${t(`roles.${grant.role}`)} · ${grant.orgName}` : t(`roles.${grant.role}`));
  }
  return [...labels];
}

export function HomePage() {
  const { t } = useTranslation();
  const { user } = useSession();
  if (!user) return null;
  const access = accessFor(user);
  const roles = roleLabels(user, t);

  return (
    <Space orientation="vertical" size={16} style={{ width: '100%' }}>
      <Card data-testid="welcome-card">
        <Typography.Title level={3} style={{ marginTop: 0 }}>
          {t('home.welcome', { name: user.displayName || user.username })}
        </Typography.Title>
        <Row gutter={[16, 12]}>
          <Col xs={24} md={12}>
            <Typography.Text type="secondary">{t('home.roles')}：</Typography.Text>
            {roles.length > 0 ? (
              roles.map((label) => (
                <Tag key={label} color="red" style={{ marginBlock: 2 }}>
                  {label}
                </Tag>
              ))
            ) : (
              <Typography.Text>{t('home.noRoles')}</Typography.Text>
            )}
          </Col>
          <Col xs={24} md={12}>
            <Typography.Text type="secondary">{t('home.scope')}：</Typography.Text>
            {user.scopeAll ? (
              <Tag color="gold">{t('home.scopeAll')}</Tag>
            ) : user.scopeRoots.length > 0 ? (
              user.scopeRoots.map((root) => (
                <Tag key={String(root.id)} style={{ marginBlock: 2 }}>
                  {root.name}
                </Tag>
              ))
            ) : (
              <Typography.Text>{t('home.noScope')}</Typography.Text>
            )}
          </Col>
        </Row>
        {user.adminRole ? (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, marginBottom: 0 }}>
            {t('home.adminHint')}
          </Typography.Paragraph>
        ) : null}
      </Card>
      {access.canReadMembers ? <MemberStats /> : null}
      {access.canReadOrgs ? <OrgStats /> : null}
      <QuickLinks />
    </Space>
  );
}
