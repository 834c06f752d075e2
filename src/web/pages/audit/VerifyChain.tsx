/** 校验日志链: asks the server to recheck the SM3 hash chain and shows the outcome. */
import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { App, Button, Modal, Result } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { verifyAudit } from '../../api/audit';
import type { AuditVerifyResult } from '../../api/types';
import { useErrorText } from '../../hooks/useErrorText';

export function VerifyChain() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [result, setResult] = useState<AuditVerifyResult | null>(null);
  const verify = useMutation({
    mutationFn: verifyAudit,
    onSuccess: setResult,
    onError: (error) => message.error(errorText(error)),
  });

  return (
    <>
      <Button
        icon={<SafetyCertificateOutlined />}
        loading={verify.isPending}
        onClick={() => verify.mutate()}
        data-testid="btn-verify-audit"
      >
        {t('audit.verify')}
      </Button>
      <Modal open={result !== null} footer={null} onCancel={() => setResult(null)} title={t('audit.verify')}>
        {result ? (
          <div data-testid="audit-verify-result">
            <Result
              status={result.ok ? 'success' : 'error'}
              title={
                result.ok
                  ? t('audit.verifyOk', { checked: result.checked })
                  : t('audit.verifyBroken', { id: result.firstBrokenId ?? '?' })
              }
              subTitle={result.message}
            />
          </div>
        ) : null}
      </Modal>
    </>
  );
}
