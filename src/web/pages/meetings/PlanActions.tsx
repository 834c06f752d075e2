/** The plan's two organisation-wide actions: copy last year's plan, and download a period's 会议记录本 (.docx). */
import { useQueryClient } from '@tanstack/react-query';
import { App, DatePicker, Form, InputNumber, Modal, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { saveFile } from '../../api/client';
import { copyPlan, downloadBook, MEETINGS_KEY } from '../../api/meetings';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { useErrorText } from '../../hooks/useErrorText';

interface Props {
  open: boolean;
  orgId: string;
  onClose: () => void;
}

export function CopyPlanModal({ open, orgId, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<{ orgId: string; fromYear: number; toYear: number }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) form.setFieldsValue({ orgId, fromYear: dayjs().year() - 1, toYear: dayjs().year() });
  }, [open, orgId, form]);

  async function run() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      const r = await copyPlan(Number(v.orgId), v.fromYear, v.toYear);
      message.success(t('meetings.copyDone', { count: r.count, skipped: r.skipped }));
      await queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
      onClose();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('meetings.copyPlan')}
      onCancel={onClose}
      onOk={() => void run()}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'copy-plan-ok' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('meetings.copyHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="orgId" label={t('meetings.org')} rules={[{ required: true }]}>
          <OrgTreeSelect />
        </Form.Item>
        <Form.Item name="fromYear" label={t('meetings.fromYear')} rules={[{ required: true }]}>
          <InputNumber min={2000} max={2100} style={{ width: 160 }} />
        </Form.Item>
        <Form.Item
          name="toYear"
          label={t('meetings.toYear')}
          dependencies={['fromYear']}
          rules={[
            { required: true },
            ({ getFieldValue }) => ({
              validator: (_, value) =>
                value !== getFieldValue('fromYear')
                  ? Promise.resolve()
                  : Promise.reject(new Error(t('meetings.sameYear'))),
            }),
          ]}
        >
          <InputNumber min={2000} max={2100} style={{ width: 160 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

export function BookModal({ open, orgId, onClose }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const [form] = Form.useForm<{ orgId: string; range: [Dayjs, Dayjs] }>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (open) form.setFieldsValue({ orgId, range: [dayjs().startOf('year'), dayjs()] });
  }, [open, orgId, form]);

  async function run() {
    const v = await form.validateFields();
    setBusy(true);
    try {
      saveFile(await downloadBook(v.orgId, v.range[0].format('YYYY-MM-DD'), v.range[1].format('YYYY-MM-DD')));
      onClose();
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Modal
      open={open}
      title={t('meetings.book')}
      onCancel={onClose}
      onOk={() => void run()}
      okText={t('meetings.bookDownload')}
      confirmLoading={busy}
      okButtonProps={{ 'data-testid': 'book-ok' }}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">{t('meetings.bookHint')}</Typography.Paragraph>
      <Form form={form} layout="vertical">
        <Form.Item name="orgId" label={t('meetings.org')} rules={[{ required: true }]}>
          <OrgTreeSelect />
        </Form.Item>
        <Form.Item name="range" label={t('meetings.bookPeriod')} rules={[{ required: true }]}>
          <DatePicker.RangePicker
            presets={[
              { label: t('meetings.thisYear'), value: [dayjs().startOf('year'), dayjs().endOf('year')] },
              {
                label: t('meetings.lastYear'),
                value: [dayjs().subtract(1, 'year').startOf('year'), dayjs().subtract(1, 'year').endOf('year')],
              },
            ]}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
