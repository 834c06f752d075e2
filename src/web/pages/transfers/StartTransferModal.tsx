/**
 * 发起转接: a member of the caller's scope to a 党支部 anywhere in the platform (picked by name through
 * `/api/transfers/destinations`), or out of the platform to a named organisation (takes effect at once).
 */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Radio, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { DEFAULT_LETTER_VALID_DAYS } from '../../../shared/transfers';
import { MEMBERS_KEY } from '../../api/members';
import { POSTS_KEY, STAFFING_KEY, TRAINING_KEY } from '../../api/staffing';
import { fetchDestinations, startTransfer, TRANSFERS_KEY } from '../../api/transfers';
import type { Id, TransferKind } from '../../api/types';
import { MemberPicker } from '../../components/MemberPicker';
import { useDebounced } from '../../hooks/useDebounced';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';
import { useReasonText } from '../../hooks/useReasonText';

interface Values {
  kind: TransferKind;
  memberId?: Id;
  toOrgId?: string;
  externalOrgName?: string;
  reason: string;
  duesPaidUntil?: Dayjs | null;
  validDays?: number;
}

function DestinationPicker({ value, onChange, id }: { value?: string; onChange?: (v?: string) => void; id?: string }) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const q = useDebounced(search.trim());
  const destinations = useQuery({
    queryKey: [...TRANSFERS_KEY, 'destinations', q],
    queryFn: () => fetchDestinations(q),
  });
  return (
    <Select
      id={id}
      allowClear
      value={value}
      onChange={(next: string | undefined) => onChange?.(next)}
      placeholder={t('transfers.form.destinationPlaceholder')}
      loading={destinations.isFetching}
      showSearch={{ filterOption: false, onSearch: setSearch }}
      notFoundContent={destinations.isFetching ? t('app.loading') : undefined}
      options={(destinations.data ?? []).map((d) => ({
        value: String(d.id),
        label: d.name,
        parent: d.parentName,
      }))}
      optionRender={(option) => (
        <div data-testid="destination-option">
          <div>{option.data.label}</div>
          {option.data.parent ? (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {option.data.parent}
            </Typography.Text>
          ) : null}
        </div>
      )}
      data-testid="transfer-destination"
    />
  );
}

export function StartTransferModal({ org, onClose }: { org?: string; onClose: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const reasonText = useReasonText();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const kind = Form.useWatch('kind', form) ?? 'internal';
  const [error, setError] = useState<string | null>(null);

  const fieldText = (caught: unknown) => {
    const detail = caught instanceof Error ? caught.message.replace(/^\w+: /, '') : '';
    return caught instanceof Error && (caught as { code?: string }).code === 'validation'
      ? reasonText(detail)
      : errorText(caught);
  };

  const save = useMutation({
    mutationFn: (values: Values) => {
      const common = {
        memberId: Number(values.memberId),
        reason: values.reason.trim(),
        duesPaidUntil: values.duesPaidUntil ? values.duesPaidUntil.format('YYYY-MM') : undefined,
        validDays: values.validDays ?? undefined,
      };
      return values.kind === 'internal'
        ? startTransfer({ kind: 'internal', toOrgId: Number(values.toOrgId), ...common })
        : startTransfer({ kind: 'external', externalOrgName: values.externalOrgName!.trim(), ...common });
    },
    onSuccess: async (transfer) => {
      message.success(t('transfers.started', { no: transfer.letterNo ?? '—' }));
      await Promise.all([
        client.invalidateQueries({ queryKey: TRANSFERS_KEY }),
        client.invalidateQueries({ queryKey: MEMBERS_KEY }),
        client.invalidateQueries({ queryKey: POSTS_KEY }),
        client.invalidateQueries({ queryKey: STAFFING_KEY }),
        client.invalidateQueries({ queryKey: TRAINING_KEY }),
      ]);
      onClose();
    },
    onError: (caught) => {
      const fields = ['memberId', 'toOrgId', 'externalOrgName', 'reason', 'duesPaidUntil', 'validDays'];
      if (!showFieldError(form, caught, fields, fieldText)) setError(errorText(caught));
    },
  });

  return (
    <Modal
      open
      width={620}
      title={t('transfers.startTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.submit')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{
          kind: 'internal',
          reason: '',
          validDays: DEFAULT_LETTER_VALID_DAYS,
          duesPaidUntil: dayjs().subtract(1, 'month'),
        }}
        onFinish={(values) => {
          setError(null);
          save.mutate(values);
        }}
        data-testid="transfer-form"
      >
        <Form.Item name="kind" label={t('transfers.form.kind')}>
          <Radio.Group
            optionType="button"
            options={[
              { value: 'internal', label: t('transfers.kinds.internal') },
              { value: 'external', label: t('transfers.kinds.external') },
            ]}
          />
        </Form.Item>
        <Alert
          type={kind === 'external' ? 'warning' : 'info'}
          showIcon
          title={kind === 'external' ? t('transfers.form.externalHint') : t('transfers.form.internalHint')}
          style={{ marginBottom: 16 }}
        />
        <Form.Item
          name="memberId"
          label={t('transfers.form.member')}
          rules={[{ required: true, message: t('members.form.select', { field: t('transfers.form.member') }) }]}
        >
          <MemberPicker
            org={org}
            status="normal"
            placeholder={t('transfers.form.memberPlaceholder')}
            data-testid="transfer-member"
          />
        </Form.Item>
        {kind === 'internal' ? (
          <Form.Item
            name="toOrgId"
            label={t('transfers.form.destination')}
            rules={[{ required: true, message: t('members.form.select', { field: t('transfers.form.destination') }) }]}
          >
            <DestinationPicker />
          </Form.Item>
        ) : (
          <Form.Item
            name="externalOrgName"
            label={t('transfers.form.externalOrg')}
            rules={[{ required: true, whitespace: true, min: 2, max: 100 }]}
          >
            <Input maxLength={100} placeholder={t('transfers.form.externalOrgPlaceholder')} />
          </Form.Item>
        )}
        <Form.Item
          name="reason"
          label={t('transfers.form.reason')}
          rules={[{ required: true, whitespace: true, min: 2, max: 200 }]}
        >
          <Input.TextArea rows={2} maxLength={200} showCount />
        </Form.Item>
        <Form.Item noStyle>
          <div style={{ display: 'flex', gap: 16, flexWrap: 'wrap' }}>
            <Form.Item name="duesPaidUntil" label={t('transfers.form.duesPaidUntil')}>
              <DatePicker picker="month" />
            </Form.Item>
            <Form.Item name="validDays" label={t('transfers.form.validDays')}>
              <InputNumber min={1} max={180} precision={0} />
            </Form.Item>
          </div>
        </Form.Item>
      </Form>
    </Modal>
  );
}
