/**
 * `/learn/papers/:id` 答题, touch first: the paper's rules, start an attempt (the server sends questions without
 * answers), one large card per question, a countdown that submits at zero, then the graded review with the
 * correct answers and explanations.
 */
import { ArrowLeftOutlined, CheckCircleFilled, ClockCircleOutlined, CloseCircleFilled } from '@ant-design/icons';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Affix,
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Descriptions,
  Flex,
  Popconfirm,
  Radio,
  Result,
  Skeleton,
  Tag,
  Typography,
} from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import {
  type Attempt,
  type AttemptQuestion,
  fetchPaper,
  LEARNING_KEY,
  startAttempt,
  submitAttempt,
  TRUE_FALSE_OPTIONS,
} from '../../api/learning';
import { QueryError } from '../../components/QueryError';
import { useErrorText } from '../../hooks/useErrorText';
import { formatDuration } from './common';

const LETTERS = 'ABCDEFGH';

function optionsOf(question: Pick<AttemptQuestion, 'type' | 'options'>): string[] {
  return question.type === 'true_false' && question.options.length === 0 ? [...TRUE_FALSE_OPTIONS] : question.options;
}

function letters(answer: number[], question: Pick<AttemptQuestion, 'type' | 'options'>): string {
  const options = optionsOf(question);
  if (question.type === 'true_false') return answer.map((i) => options[i] ?? '?').join('');
  return answer.map((i) => LETTERS[i] ?? '?').join('');
}

function useCountdown(deadline: string | null, running: boolean): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!deadline || !running) return;
    const timer = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(timer);
  }, [deadline, running]);
  if (!deadline) return null;
  return Math.max(0, Math.floor((Date.parse(deadline) - now) / 1000));
}

function QuestionCard({
  index,
  question,
  value,
  onChange,
  disabled,
}: {
  index: number;
  question: AttemptQuestion;
  value: number[];
  onChange: (value: number[]) => void;
  disabled?: boolean;
}) {
  const { t } = useTranslation();
  const options = optionsOf(question);
  return (
    <Card size="small" data-testid={`question-${index + 1}`} data-qid={question.id}>
      <Typography.Paragraph strong style={{ fontSize: 16 }}>
        {index + 1}. <Tag>{t(`learning.questionType.${question.type}`)}</Tag>
        {question.stem}
      </Typography.Paragraph>
      {question.type === 'multiple' ? (
        <Checkbox.Group
          style={{ display: 'block' }}
          value={value}
          disabled={disabled}
          onChange={(next) => onChange([...(next as number[])].sort((a, b) => a - b))}
        >
          {options.map((text, i) => (
            <Checkbox key={text} value={i} data-testid={`option-${index + 1}-${i}`}>
              {LETTERS[i]}. {text}
            </Checkbox>
          ))}
        </Checkbox.Group>
      ) : (
        <Radio.Group
          style={{ display: 'block' }}
          value={value[0]}
          disabled={disabled}
          onChange={(event) => onChange([event.target.value as number])}
        >
          {options.map((text, i) => (
            <Radio key={text} value={i} data-testid={`option-${index + 1}-${i}`}>
              {question.type === 'true_false' ? text : `${LETTERS[i]}. ${text}`}
            </Radio>
          ))}
        </Radio.Group>
      )}
    </Card>
  );
}

function Review({ attempt }: { attempt: Attempt }) {
  const { t } = useTranslation();
  const total = attempt.questions.length;
  return (
    <Flex vertical gap={12} data-testid="quiz-review">
      <Result
        status={attempt.passed ? 'success' : 'warning'}
        title={attempt.passed ? t('learning.quiz.passed') : t('learning.quiz.failed')}
        subTitle={t('learning.quiz.scoreLine', {
          score: attempt.score ?? 0,
          correct: attempt.correctCount ?? 0,
          total,
          pass: attempt.passMark,
        })}
        data-testid="quiz-result"
        data-passed={attempt.passed ? 'true' : 'false'}
        style={{ padding: '16px 0' }}
      />
      {(attempt.review ?? []).map((question, index) => (
        <Card
          key={question.id}
          size="small"
          data-testid={`review-${index + 1}`}
          data-qid={question.id}
          data-correct={question.correctAnswer.join(',')}
          style={{ borderColor: question.correct ? '#b7eb8f' : '#ffccc7' }}
        >
          <Typography.Paragraph strong>
            {question.correct ? (
              <CheckCircleFilled style={{ color: '#52c41a' }} />
            ) : (
              <CloseCircleFilled style={{ color: '#ff4d4f' }} />
            )}{' '}
            {index + 1}. {question.stem}
          </Typography.Paragraph>
          {question.type !== 'true_false'
            ? optionsOf(question).map((text, i) => (
                <div
                  key={text}
                  style={{
                    padding: '2px 0',
                    color: question.correctAnswer.includes(i) ? '#389e0d' : undefined,
                    fontWeight: question.correctAnswer.includes(i) ? 600 : undefined,
                  }}
                >
                  {LETTERS[i]}. {text}
                </div>
              ))
            : null}
          <Descriptions
            size="small"
            column={1}
            style={{ marginTop: 8 }}
            items={[
              {
                key: 'yours',
                label: t('learning.quiz.yourAnswer'),
                children: question.yourAnswer.length ? letters(question.yourAnswer, question) : t('learning.quiz.none'),
              },
              {
                key: 'correct',
                label: t('learning.quiz.correctAnswer'),
                children: letters(question.correctAnswer, question),
              },
              ...(question.explanation
                ? [{ key: 'why', label: t('learning.quiz.explanation'), children: question.explanation }]
                : []),
            ]}
          />
        </Card>
      ))}
    </Flex>
  );
}

export function QuizPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const errorText = useErrorText();
  const client = useQueryClient();
  const paper = useQuery({ queryKey: [...LEARNING_KEY, 'paper', id], queryFn: () => fetchPaper(id) });
  const [attempt, setAttempt] = useState<Attempt | null>(null);
  const [answers, setAnswers] = useState<Record<number, number[]>>({});
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const open = attempt?.status === 'open';
  const left = useCountdown(attempt?.deadline ?? null, open);
  const submitted = useRef(false);

  const start = async () => {
    setBusy(true);
    setError(null);
    try {
      submitted.current = false;
      setAnswers({});
      setAttempt(await startAttempt(id));
      window.scrollTo({ top: 0 });
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = useCallback(async () => {
    if (!attempt || submitted.current) return;
    submitted.current = true;
    setBusy(true);
    setError(null);
    try {
      const list = attempt.questions.map((q) => ({ questionId: q.id, answer: answers[q.id] ?? [] }));
      const result = await submitAttempt(attempt.id, list);
      setAttempt(result);
      window.scrollTo({ top: 0 });
      if (result.passed) message.success(t('learning.quiz.passed'));
      void client.invalidateQueries({ queryKey: LEARNING_KEY });
    } catch (e) {
      submitted.current = false;
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }, [attempt, answers, client, errorText, message, t]);

  // Time is up: hand in what there is.
  useEffect(() => {
    if (open && left === 0) void submit();
  }, [open, left, submit]);

  if (paper.error) return <QueryError error={paper.error} onRetry={() => void paper.refetch()} />;
  if (!paper.data) return <Skeleton active />;
  const p = paper.data;
  const used = p.myAttempts?.used ?? 0;
  const remaining = p.attemptsAllowed === null ? null : Math.max(0, p.attemptsAllowed - used);
  const answered = attempt ? attempt.questions.filter((q) => (answers[q.id] ?? []).length > 0).length : 0;
  const unanswered = attempt ? attempt.questions.length - answered : 0;

  return (
    <Flex vertical gap={12} className="learn-page learn-quiz" data-testid="learn-quiz">
      <div>
        <Button type="link" icon={<ArrowLeftOutlined />} onClick={() => navigate(-1)} style={{ paddingInline: 0 }}>
          {t('learning.back')}
        </Button>
      </div>
      <Typography.Title level={4} style={{ margin: 0 }}>
        {p.title}
      </Typography.Title>
      {error ? <Alert type="error" showIcon title={error} data-testid="quiz-error" /> : null}

      {!attempt ? (
        <Card size="small" data-testid="quiz-intro">
          <Descriptions
            size="small"
            column={1}
            items={[
              { key: 'n', label: t('learning.quiz.questions'), children: p.questionCount },
              {
                key: 'time',
                label: t('learning.quiz.timeLimit'),
                children: p.timeLimitMinutes
                  ? t('learning.quiz.minutes', { n: p.timeLimitMinutes })
                  : t('learning.quiz.noLimit'),
              },
              { key: 'pass', label: t('learning.quiz.passMark'), children: `${p.passMark}%` },
              {
                key: 'attempts',
                label: t('learning.quiz.attempts'),
                children:
                  p.attemptsAllowed === null
                    ? t('learning.quiz.attemptsUnlimited', { used })
                    : t('learning.quiz.attemptsUsed', { used, allowed: p.attemptsAllowed }),
              },
              ...(p.myAttempts?.bestScore !== null && p.myAttempts?.bestScore !== undefined
                ? [
                    {
                      key: 'best',
                      label: t('learning.quiz.best'),
                      children: (
                        <span>
                          {p.myAttempts.bestScore}{' '}
                          {p.myAttempts.passed ? <Tag color="success">{t('learning.quiz.passed')}</Tag> : null}
                        </span>
                      ),
                    },
                  ]
                : []),
            ]}
          />
          <Button
            type="primary"
            size="large"
            block
            loading={busy}
            disabled={remaining === 0}
            onClick={() => void start()}
            style={{ marginTop: 12, height: 52, fontSize: 18 }}
            data-testid="quiz-start"
          >
            {remaining === 0 ? t('learning.quiz.noAttemptsLeft') : t('learning.quiz.start')}
          </Button>
        </Card>
      ) : open ? (
        <>
          <Affix offsetTop={0}>
            <Card size="small" styles={{ body: { padding: '8px 12px' } }}>
              <Flex justify="space-between" align="center">
                <Typography.Text data-testid="quiz-answered">
                  {t('learning.quiz.answered', { n: answered, total: attempt.questions.length })}
                </Typography.Text>
                {left !== null ? (
                  <Tag
                    icon={<ClockCircleOutlined />}
                    color={left < 60 ? 'red' : 'default'}
                    style={{ fontSize: 16, padding: '2px 8px', marginInlineEnd: 0 }}
                    data-testid="quiz-timer"
                  >
                    {formatDuration(left)}
                  </Tag>
                ) : null}
              </Flex>
            </Card>
          </Affix>
          {attempt.questions.map((question, index) => (
            <QuestionCard
              key={question.id}
              index={index}
              question={question}
              value={answers[question.id] ?? []}
              onChange={(value) => setAnswers((prev) => ({ ...prev, [question.id]: value }))}
            />
          ))}
          <Popconfirm
            title={t('learning.quiz.unanswered', { n: unanswered })}
            disabled={unanswered === 0}
            onConfirm={() => void submit()}
            okText={t('learning.quiz.submit')}
            cancelText={t('common.cancel')}
          >
            <Button
              type="primary"
              size="large"
              block
              loading={busy}
              onClick={unanswered === 0 ? () => void submit() : undefined}
              style={{ height: 52, fontSize: 18 }}
              data-testid="quiz-submit"
            >
              {t('learning.quiz.submit')}
            </Button>
          </Popconfirm>
        </>
      ) : (
        <>
          <Review attempt={attempt} />
          <Flex gap={8}>
            <Button size="large" block onClick={() => navigate('/learn')} data-testid="quiz-home">
              {t('learning.quiz.backHome')}
            </Button>
            {(remaining === null || remaining > 1) && !attempt.passed ? (
              <Button size="large" block type="primary" onClick={() => setAttempt(null)} data-testid="quiz-again">
                {t('learning.quiz.again')}
              </Button>
            ) : null}
          </Flex>
        </>
      )}
    </Flex>
  );
}
