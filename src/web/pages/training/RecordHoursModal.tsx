/** 登记学时: one entry of training hours for a member (`member.write`); the date lies in the ledger's year. */
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, DatePicker, Form, Input, InputNumber, Modal, Select } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { TRAINING_SOURCES } from '../../../shared/staffing';
import { recordTraining, TRAINING_KEY } from '../../api/staffing';
import type { Id, TrainingSource } from '../../api/types';
import { MemberPicker } from '../../components/MemberPicker';
import { showFieldError, useErrorText } from '../../hooks/useErrorText';
import { useReasonText } from '../../hooks/useReasonText';

interface Values {
  memberId?: Id;
  hours?: number;
  title: string;
  source: TrainingSource;
  occurredOn?: Dayjs;
  ref?: string;
}

interface Props {
  year: number;
  org?: string;
  /** Fixed member (from the ledger drawer). */
  member?: { id: Id; name: string };
  onClose: () => void;
}

export function RecordHoursModal({ year, org, member, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const reason = useReasonText();
  const client = useQueryClient();
  const [form] = Form.useForm<Values>();
  const [error, setError] = useState<string | null>(null);
  const today = dayjs();
  const defaultDay = today.year() === year ? today : dayjs(`${year}-12-31`);

  const fieldText = (caught: unknown) => {
    const text = errorText(caught);
    const detail = caught instanceof Error ? caught.message.replace(/^\w+: /, '') : '';
    return detail ? reason(detail) : text;
  };

  const save = useMutation({
    mutationFn: (values: Values) =>
      recordTraining({
        memberId: Number(member?.id ?? values.memberId),
        year,
        hours: values.hours!,
        title: values.title.trim(),
        source: values.source,
        occurredOn: values.occurredOn!.format('YYYY-MM-DD'),
        ref: values.ref?.trim() || null,
      }),
    onSuccess: async (entry) => {
      message.success(t('training.recorded', { hours: entry.hours }));
      await client.invalidateQueries({ queryKey: TRAINING_KEY });
      onClose();
    },
    onError: (caught) => {
      if (!showFieldError(form, caught, ['memberId', 'hours', 'title', 'source', 'occurredOn', 'ref'], fieldText)) {
        setError(errorText(caught));
      }
    },
  });

  return (
    <Modal
      open
      title={member ? t('training.recordFor', { name: member.name }) : t('training.recordTitle')}
      onCancel={onClose}
      onOk={() => form.submit()}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{ loading: save.isPending }}
      destroyOnHidden
    >
      {error ? <Alert type="error" showIcon title={error} style={{ marginBottom: 16 }} /> : null}
      <Form<Values>
        form={form}
        layout="vertical"
        initialValues={{ source: 'training', occurredOn: defaultDay, title: '' }}
        onFinish={(values) => {
          setError(null);
          save.mutate(values);
        }}
        data-testid="training-form"
      >
        {member ? null : (
          <Form.Item
            name="memberId"
            label={t('training.form.member')}
            rules={[{ required: true, message: t('members.form.select', { field: t('training.form.member') }) }]}
          >
            <MemberPicker org={org} status="normal" placeholder={t('posts.memberPlaceholder')} />
          </Form.Item>
        )}
        <Form.Item
          name="title"
          label={t('training.form.title')}
          rules={[{ required: true, whitespace: true, min: 2, max: 100 }]}
        >
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="source" label={t('training.form.source')} rules={[{ required: true }]}>
          <Select options={TRAINING_SOURCES.map((value) => ({ value, label: t(`training.sources.${value}`) }))} />
        </Form.Item>
        <Form.Item
          name="hours"
          label={t('training.form.hours')}
          rules={[{ required: true, message: t('members.form.required', { field: t('training.form.hours') }) }]}
        >
          <InputNumber min={0.5} max={500} step={0.5} precision={1} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="occurredOn"
          label={t('training.form.occurredOn')}
          extra={t('training.form.yearHint', { year })}
          rules={[{ required: true }]}
        >
          <DatePicker
            allowClear={false}
            disabledDate={(date) => date.year() !== year || date.isAfter(today, 'day')}
            defaultPickerValue={defaultDay}
          />
        </Form.Item>
        <Form.Item name="ref" label={t('training.form.ref')} rules={[{ max: 100 }]}>
          <Input maxLength={100} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
