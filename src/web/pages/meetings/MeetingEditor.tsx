/**
 * Record (or plan) one meeting: types, time, place, host and recorder from the org's roster, attendance taken
 * from the roster, minutes, resolutions with votes; the quorum as the server computes it; submit locks the record.
 */
import { DeleteOutlined, DownloadOutlined, PlusOutlined, QrcodeOutlined } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  DatePicker,
  Drawer,
  Form,
  Image,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Radio,
  Select,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MEETING_TYPES, type MeetingType } from '../../../shared/meetings';
import { saveFile } from '../../api/client';
import {
  type AttendanceStatus,
  createMeeting,
  downloadRecord,
  fetchMeeting,
  fetchSigninCode,
  MEETINGS_KEY,
  type Meeting,
  type MeetingInput,
  type Resolution,
  type SigninCode,
  submitMeeting,
  updateMeeting,
} from '../../api/meetings';
import { fetchMembers } from '../../api/members';
import { formatDateTime } from '../../components/format';
import { OrgTreeSelect } from '../../components/OrgTreeSelect';
import { RichTextEditor, RichTextView } from '../../components/RichText';
import { useErrorText } from '../../hooks/useErrorText';

interface Row {
  memberId: number;
  name: string;
  status: AttendanceStatus;
  reason: string | null;
  via: 'qr' | 'manual' | null;
}

interface FormValues {
  orgId?: string;
  status: 'planned' | 'draft';
  types: MeetingType[];
  title: string;
  range: [Dayjs, Dayjs];
  location?: string;
  hostId?: number;
  recorderId?: number;
  minutes?: string;
  resolutions?: Resolution[];
}

interface Props {
  open: boolean;
  /** null: a new record */
  meetingId: number | null;
  defaultOrgId?: string;
  /** a new meeting on this local date (YYYY-MM-DD), planned: picked in the calendar */
  defaultDate?: string | null;
  canWrite: boolean;
  onClose: () => void;
  onSaved: (id: number) => void;
}

export function MeetingEditor({ open, meetingId, defaultOrgId, defaultDate, canWrite, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const queryClient = useQueryClient();
  const [form] = Form.useForm<FormValues>();
  const orgId = Form.useWatch('orgId', form);
  const [rows, setRows] = useState<Row[]>([]);
  const [saving, setSaving] = useState(false);
  const [code, setCode] = useState<SigninCode | null>(null);

  const meetingQuery = useQuery({
    queryKey: [...MEETINGS_KEY, 'one', meetingId],
    queryFn: () => fetchMeeting(meetingId!),
    enabled: open && meetingId !== null,
  });
  const meeting: Meeting | undefined = meetingId === null ? undefined : meetingQuery.data;
  const rosterOrg = meeting ? String(meeting.orgId) : orgId;
  const rosterQuery = useQuery({
    queryKey: ['members', 'roster', rosterOrg],
    queryFn: () => fetchMembers({ org: rosterOrg, page: 1, pageSize: 1000 }),
    enabled: open && !!rosterOrg,
  });
  const roster = rosterQuery.data?.items;
  const locked = meeting?.status === 'submitted' || !canWrite;

  // The form from the record (or empty for a new one).
  useEffect(() => {
    if (!open) return;
    if (meetingId === null) {
      form.resetFields();
      const start = defaultDate ? dayjs(`${defaultDate}T14:30:00`) : dayjs().minute(0).second(0).millisecond(0);
      form.setFieldsValue({
        orgId: defaultOrgId,
        status: defaultDate && defaultDate > dayjs().format('YYYY-MM-DD') ? 'planned' : 'draft',
        types: [],
        range: [start, start.add(2, 'hour')],
        resolutions: [],
      });
      setRows([]);
    } else if (meeting) {
      form.setFieldsValue({
        orgId: String(meeting.orgId),
        status: meeting.status === 'planned' ? 'planned' : 'draft',
        types: meeting.types,
        title: meeting.title,
        range: [dayjs(meeting.startsAt), dayjs(meeting.endsAt)],
        location: meeting.location ?? undefined,
        hostId: meeting.hostId ?? undefined,
        recorderId: meeting.recorderId ?? undefined,
        minutes: meeting.minutes ?? '',
        resolutions: meeting.resolutions.map((r) => ({
          text: r.text,
          votesFor: r.votesFor,
          votesAgainst: r.votesAgainst,
          abstentions: r.abstentions,
        })),
      });
    }
  }, [open, meetingId, meeting, defaultOrgId, defaultDate, form]);

  // Attendance rows: the record's, then everyone else on the roster (absent).
  useEffect(() => {
    if (!open) return;
    const recorded = meeting?.attendees ?? [];
    const out: Row[] = recorded.map((a) => ({
      memberId: a.memberId,
      name: a.name,
      status: a.status,
      reason: a.reason,
      via: a.via,
    }));
    const seen = new Set(out.map((r) => r.memberId));
    for (const m of roster ?? []) {
      const id = Number(m.id);
      if (!seen.has(id)) out.push({ memberId: id, name: m.name, status: 'absent', reason: null, via: null });
    }
    setRows(out);
  }, [open, meeting, roster]);

  const memberOptions = useMemo(() => (roster ?? []).map((m) => ({ value: Number(m.id), label: m.name })), [roster]);

  const setRow = (memberId: number, patch: Partial<Row>) =>
    setRows((prev) => prev.map((r) => (r.memberId === memberId ? { ...r, ...patch } : r)));

  async function save() {
    const values = await form.validateFields();
    const input: MeetingInput = {
      orgId: values.orgId ? Number(values.orgId) : undefined,
      ...(meeting?.status === 'submitted' ? {} : { status: values.status }),
      types: values.types,
      title: values.title,
      startsAt: values.range[0].format(),
      endsAt: values.range[1].format(),
      location: values.location || null,
      hostId: values.hostId ?? null,
      recorderId: values.recorderId ?? null,
      minutes: values.minutes || null,
      attendees: rows.map((r) => ({
        memberId: r.memberId,
        status: r.status,
        reason: r.status === 'leave' ? r.reason || null : null,
      })),
      resolutions: (values.resolutions ?? []).filter((r) => r?.text?.trim()),
    };
    setSaving(true);
    try {
      const saved = meetingId === null ? await createMeeting(input) : await updateMeeting(meetingId, input);
      message.success(t('meetings.saved'));
      queryClient.setQueryData([...MEETINGS_KEY, 'one', saved.id], saved);
      await queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
      onSaved(saved.id);
    } catch (error) {
      message.error(errorText(error));
    } finally {
      setSaving(false);
    }
  }

  async function submit() {
    if (meetingId === null) return;
    try {
      await submitMeeting(meetingId);
      message.success(t('meetings.submitted'));
      await queryClient.invalidateQueries({ queryKey: MEETINGS_KEY });
    } catch (error) {
      message.error(errorText(error));
    }
  }

  async function download() {
    if (meetingId === null) return;
    try {
      saveFile(await downloadRecord(meetingId));
    } catch (error) {
      message.error(errorText(error));
    }
  }

  async function showCode() {
    if (meetingId === null) return;
    try {
      setCode(await fetchSigninCode(meetingId));
    } catch (error) {
      message.error(errorText(error));
    }
  }

  const quorum = meeting?.quorum;

  return (
    <Drawer
      open={open}
      onClose={onClose}
      size="min(1000px, 100vw)"
      title={meeting ? meeting.title : t('meetings.create')}
      destroyOnHidden
      extra={
        <Space wrap>
          {meeting && canWrite && meeting.status !== 'submitted' && (
            <Button icon={<QrcodeOutlined />} onClick={() => void showCode()} data-testid="meeting-qr">
              {t('meetings.qr')}
            </Button>
          )}
          {meeting && (
            <Button icon={<DownloadOutlined />} onClick={() => void download()} data-testid="meeting-download">
              {t('meetings.download')}
            </Button>
          )}
          {!locked && (
            <Button onClick={() => void save()} loading={saving} data-testid="meeting-save">
              {t('meetings.save')}
            </Button>
          )}
          {meeting && !locked && (
            <Popconfirm title={t('meetings.submitConfirm')} onConfirm={() => submit()}>
              <Button type="primary" data-testid="meeting-submit">
                {t('meetings.submit')}
              </Button>
            </Popconfirm>
          )}
        </Space>
      }
    >
      {meeting?.status === 'submitted' && (
        <Alert
          type="info"
          showIcon
          title={t('meetings.locked')}
          style={{ marginBottom: 16 }}
          data-testid="meeting-locked"
        />
      )}
      {quorum && (
        <Space style={{ marginBottom: 16 }} data-testid="meeting-quorum">
          <Typography.Text>
            {t('meetings.quorum', { expected: quorum.expected, present: quorum.present })}
          </Typography.Text>
          {quorum.rule !== 'none' && (
            <Tag color={quorum.met ? 'green' : 'red'}>
              {quorum.met ? t('meetings.quorumMet') : t('meetings.quorumNotMet')}
            </Tag>
          )}
        </Space>
      )}
      <Form form={form} layout="vertical" disabled={locked}>
        <Space wrap size="large" style={{ width: '100%' }} align="start">
          <Form.Item name="orgId" label={t('meetings.org')} rules={[{ required: true }]} style={{ minWidth: 320 }}>
            <OrgTreeSelect disabled={() => meetingId !== null} data-testid="meeting-org" />
          </Form.Item>
          <Form.Item name="types" label={t('meetings.types')} rules={[{ required: true }]} style={{ minWidth: 420 }}>
            <Select
              mode="multiple"
              data-testid="meeting-types"
              options={MEETING_TYPES.map((type) => ({ value: type, label: t(`meetings.type.${type}`) }))}
            />
          </Form.Item>
        </Space>
        <Space wrap size="large" align="start" style={{ width: '100%' }}>
          <Form.Item
            name="title"
            label={t('meetings.name')}
            rules={[{ required: true, min: 2 }]}
            style={{ minWidth: 'min(480px, 100%)' }}
          >
            <Input data-testid="meeting-title" maxLength={200} />
          </Form.Item>
          {meeting?.status !== 'submitted' && (
            <Form.Item name="status" label={t('meetings.colStatus')}>
              <Radio.Group
                optionType="button"
                data-testid="meeting-plan-status"
                options={(['planned', 'draft'] as const).map((v) => ({ value: v, label: t(`meetings.status.${v}`) }))}
              />
            </Form.Item>
          )}
        </Space>
        <Space wrap size="large" align="start">
          <Form.Item name="range" label={t('meetings.time')} rules={[{ required: true }]}>
            <DatePicker.RangePicker
              showTime={{ format: 'HH:mm' }}
              format="YYYY-MM-DD HH:mm"
              data-testid="meeting-range"
            />
          </Form.Item>
          <Form.Item name="location" label={t('meetings.location')}>
            <Input style={{ width: 240 }} data-testid="meeting-location" maxLength={200} />
          </Form.Item>
          <Form.Item name="hostId" label={t('meetings.host')}>
            <Select
              style={{ width: 160 }}
              options={memberOptions}
              showSearch
              optionFilterProp="label"
              allowClear
              data-testid="meeting-host"
            />
          </Form.Item>
          <Form.Item name="recorderId" label={t('meetings.recorder')}>
            <Select
              style={{ width: 160 }}
              options={memberOptions}
              showSearch
              optionFilterProp="label"
              allowClear
              data-testid="meeting-recorder"
            />
          </Form.Item>
        </Space>
        <Typography.Title level={5}>
          {t('meetings.attendees')}{' '}
          {!locked && (
            <Button
              size="small"
              onClick={() => setRows((prev) => prev.map((r) => ({ ...r, status: 'present' })))}
              data-testid="meeting-all-present"
            >
              {t('meetings.allPresent')}
            </Button>
          )}
        </Typography.Title>
        <Table<Row>
          size="small"
          rowKey="memberId"
          dataSource={rows}
          loading={rosterQuery.isLoading}
          pagination={false}
          scroll={{ y: 320 }}
          style={{ marginBottom: 16 }}
          data-testid="meeting-attendees"
          columns={[
            { title: t('meetings.member'), dataIndex: 'name', width: 140 },
            {
              title: t('meetings.attendance'),
              key: 'status',
              width: 260,
              render: (_, row) => (
                <Radio.Group
                  size="small"
                  value={row.status}
                  disabled={locked}
                  onChange={(e) => setRow(row.memberId, { status: e.target.value as AttendanceStatus })}
                  data-testid={`attendee-${row.name}`}
                  optionType="button"
                  options={(['present', 'leave', 'absent'] as const).map((s) => ({
                    value: s,
                    label: t(`meetings.att.${s}`),
                  }))}
                />
              ),
            },
            {
              title: t('meetings.reason'),
              key: 'reason',
              render: (_, row) =>
                row.status === 'leave' ? (
                  <Input
                    size="small"
                    value={row.reason ?? ''}
                    disabled={locked}
                    maxLength={200}
                    onChange={(e) => setRow(row.memberId, { reason: e.target.value })}
                  />
                ) : row.via === 'qr' ? (
                  <Tag color="blue">QR</Tag>
                ) : null,
            },
          ]}
        />
        {locked ? (
          <Form.Item label={t('meetings.minutes')}>
            <RichTextView html={meeting?.minutes} data-testid="meeting-minutes-view" />
          </Form.Item>
        ) : (
          <Form.Item name="minutes" label={t('meetings.minutes')}>
            <RichTextEditor data-testid="meeting-minutes" />
          </Form.Item>
        )}
        <Typography.Title level={5}>{t('meetings.resolutions')}</Typography.Title>
        <Form.List name="resolutions">
          {(fields, { add, remove }) => (
            <>
              {fields.map((field) => (
                <Space key={field.key} align="start" wrap>
                  <Form.Item name={[field.name, 'text']} rules={[{ required: true }]}>
                    <Input placeholder={t('meetings.resolutionText')} style={{ width: 360 }} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'votesFor']}>
                    <InputNumber min={0} placeholder={t('meetings.votesFor')} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'votesAgainst']}>
                    <InputNumber min={0} placeholder={t('meetings.votesAgainst')} />
                  </Form.Item>
                  <Form.Item name={[field.name, 'abstentions']}>
                    <InputNumber min={0} placeholder={t('meetings.abstentions')} />
                  </Form.Item>
                  {!locked && <Button icon={<DeleteOutlined />} onClick={() => remove(field.name)} />}
                </Space>
              ))}
              {!locked && (
                <Button icon={<PlusOutlined />} onClick={() => add({ text: '' })}>
                  {t('meetings.addResolution')}
                </Button>
              )}
            </>
          )}
        </Form.List>
      </Form>
      <Modal open={code !== null} onCancel={() => setCode(null)} footer={null} title={t('meetings.qr')}>
        {code && (
          <Space direction="vertical" align="center" style={{ width: '100%' }}>
            <Image src={code.qrDataUrl} width={280} preview={false} alt="QR" />
            <Typography.Link
              href={code.url}
              target="_blank"
              data-testid="signin-link"
              copyable={{ text: code.absoluteUrl }}
            >
              {code.absoluteUrl}
            </Typography.Link>
            <Typography.Text type="secondary">
              {t('meetings.qrHint', { time: formatDateTime(code.expiresAt) })}
            </Typography.Text>
          </Space>
        )}
      </Modal>
    </Drawer>
  );
}
