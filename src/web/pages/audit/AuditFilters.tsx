/** Filters of the audit log: actor, action, result, date range (Beijing calendar days). */
import { Button, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { shanghaiDayEnd, shanghaiDayStart } from '../../components/format';

export interface AuditFilterValues {
  actor?: string;
  action?: string;
  result?: string;
  from?: string;
  to?: string;
}

interface FormValues {
  actor?: string;
  action?: string;
  result?: string;
  range?: [Dayjs | null, Dayjs | null] | null;
}

const RESULTS = ['success', 'failure', 'denied'];

export function AuditFilters({ onSearch }: { onSearch: (values: AuditFilterValues) => void }) {
  const { t } = useTranslation();
  const [form] = Form.useForm<FormValues>();

  const submit = (values: FormValues) => {
    const [start, end] = values.range ?? [null, null];
    onSearch({
      actor: values.actor?.trim() || undefined,
      action: values.action?.trim() || undefined,
      result: values.result || undefined,
      from: start ? shanghaiDayStart(start.format('YYYY-MM-DD')) : undefined,
      to: end ? shanghaiDayEnd(end.format('YYYY-MM-DD')) : undefined,
    });
  };

  return (
    <Form<FormValues>
      form={form}
      layout="inline"
      onFinish={submit}
      style={{ marginBottom: 16, rowGap: 12 }}
      data-testid="audit-filters"
    >
      <Form.Item name="actor">
        <Input allowClear placeholder={t('audit.actor')} style={{ width: 140 }} />
      </Form.Item>
      <Form.Item name="action">
        <Input allowClear placeholder={t('audit.action')} style={{ width: 160 }} />
      </Form.Item>
      <Form.Item name="result">
        <Select
          allowClear
          placeholder={t('audit.result')}
          style={{ width: 120 }}
          options={RESULTS.map((value) => ({ value, label: t(`audit.results.${value}`) }))}
        />
      </Form.Item>
      <Form.Item name="range">
        <DatePicker.RangePicker />
      </Form.Item>
      <Form.Item>
        <Button type="primary" htmlType="submit">
          {t('common.search')}
        </Button>
      </Form.Item>
      <Form.Item>
        <Button
          onClick={() => {
            form.resetFields();
            onSearch({});
          }}
        >
          {t('common.reset')}
        </Button>
      </Form.Item>
    </Form>
  );
}
