/**
 * Demo data for 组织生活: a year of meetings for every demo branch and group up to today, and the plan for the
 * next weeks, so that the compliance overview tells a story:
 * - per branch a monthly 主题党日, a quarterly 支部党员大会 and 党课 (often one sitting with the 主题党日 of the
 *   quarter's last month), a monthly 支部委员会 where the branch has ≥7 full members, a monthly 党小组会 per group,
 *   and a 组织生活会 with 民主评议党员 in Q4 of last year (this year's is planned for December);
 * - some branches fall behind (months skipped), a few 党员大会 are held without quorum (too few present), some
 *   minutes are very short or copied from an earlier record, and two branches record a quarter's meetings on its
 *   last day;
 * - attendance from the branch roster (on leave with reasons, a few absent), resolutions with votes on 党员大会,
 *   Chinese minutes assembled from varied parts; past meetings submitted (the last few days' still drafts), the next
 *   four weeks planned.
 * Written straight to the tables (types with their denormalised org and date, as the meetings module keeps them).
 * It seeds once: when any meeting exists it does nothing. The compliance engine recomputes its results afterwards.
 */
import { addMonths } from '../../shared/dates.js';
import { type MeetingType, shanghaiDate } from '../../shared/meetings.js';
import { ACTIVE_STATUSES, type PartyPost } from '../../shared/members.js';
import type { Executor } from '../db/database.js';
import { minutesHash, minutesLength } from '../modules/meetings/minutes.js';

interface DemoOrg {
  id: number;
  name: string;
  kind: string;
  parent_id: number | null;
}
interface DemoMember {
  id: number;
  org_id: number;
  name: string;
  category: string;
  user_id: number | null;
}

const THEMES = [
  '学习贯彻党的二十届四中全会精神',
  '深入学习贯彻中央八项规定精神',
  '党纪学习教育：学习《中国共产党纪律处分条例》',
  '以科技创新引领新质生产力发展',
  '重温入党誓词，践行初心使命',
  '“大学习、大讨论、大调研”专题交流',
  '党建+科创：服务企业创新走基层',
  '科技助力乡村振兴实地调研',
  '学习习近平总书记关于科技创新的重要论述',
  '铸牢中华民族共同体意识专题学习',
  '学习《中国共产党支部工作条例（试行）》',
  '观看警示教育片，筑牢廉洁防线',
  '讲党史、忆初心、担使命',
  '学习全省科技工作会议精神',
  '走访慰问老党员、困难党员',
  '志愿服务：科普进社区',
];
const LECTURE_TITLES = [
  '党课：守土有责、守土负责、守土尽责',
  '党课：以高质量党建引领科技自立自强',
  '党课：把“两张皮”变成“一盘棋”——党建与业务深度融合',
  '党课：从党史中汲取奋进力量',
  '党课：严守政治纪律和政治规矩',
  '党课：深化科技体制改革的实践与思考',
];
const DISCUSSION = [
  '结合本职工作谈了学习体会，表示要把学习成果转化为推动科技工作的实际成效',
  '提出支部要在服务企业创新、科技成果转化中发挥战斗堡垒作用',
  '谈到党务工作和业务工作存在“两张皮”现象，建议把党建任务融入年度重点工作',
  '建议增加走基层调研次数，到县区科技局和企业一线听取意见',
  '结合近期项目评审工作，谈了廉洁自律、规范权力运行的认识',
  '认为学习形式还可以更丰富，建议利用“学习强国”和微党课开展线上学习',
  '谈到基层党务干部多为兼职，建议加强业务培训和经验交流',
  '结合科技扶贫工作，讲述了在帮扶村开展技术服务的经历和体会',
];
const REQUIREMENTS = [
  '会议要求，全体党员要认真学习原文，撰写心得体会，并在下次支部会议上交流。',
  '会议强调，要以问题为导向，对照查找差距，明确整改措施和完成时限。',
  '会议要求，支部委员要带头学、带头讲，做到党建工作与业务工作同谋划、同部署、同落实。',
  '会议指出，要把学习成效体现到推动科技创新和服务基层的具体工作中。',
];
const RESOLUTIONS = [
  '同意按期转为正式党员',
  '通过支部年度党建工作计划',
  '同意确定入党积极分子为发展对象',
  '通过支部党费收缴情况报告',
  '同意推荐优秀共产党员人选',
  '通过支部整改问题清单及整改措施',
];
const LEAVE_REASONS = ['出差', '病假', '下乡调研', '参加培训', '事假', '外出开会', '产假', '陪同检查'];
const LOCATIONS = ['局机关三楼会议室', '党员活动室', '五楼小会议室', '局机关多功能厅', '党建活动中心'];
const SHORT_MINUTES = ['学习了有关文件。', '传达学习上级会议精神。', '学习文件，讨论工作。'];

const COMMITTEE_ORDER: PartyPost[] = ['secretary', 'deputy_secretary', 'organization', 'propaganda', 'discipline'];

const pad = (n: number) => String(n).padStart(2, '0');
/** A local Shanghai date and time as a UTC ISO instant. */
const at = (date: string, hh: number, mm = 0) => new Date(`${date}T${pad(hh)}:${pad(mm)}:00+08:00`).toISOString();
const dayOf = (month: string, day: number) => {
  const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
  return `${month}-${pad(Math.min(day, last))}`;
};
const paras = (xs: string[]) => xs.map((x) => `<p>${x}</p>`).join('');

interface Planned {
  orgId: number;
  types: MeetingType[];
  title: string;
  /** what the sitting studied (主题党日, 党小组会) */
  topic: string;
  date: string;
  hour: number;
  location: string;
  /** who should attend (the roster part) */
  invited: DemoMember[];
  host: DemoMember | undefined;
  recorder: DemoMember | undefined;
  /** share of the invited present (1 = everyone who is not on leave) */
  turnout: number;
  minutesStyle: 'normal' | 'short' | 'copy';
  resolutions: number;
  review: boolean;
}

export async function seedMeetingsDemo(
  trx: Executor,
  rand: () => number,
  today: string,
): Promise<{ meetings: number }> {
  if (await trx.selectFrom('meetings').select('id').limit(1).executeTakeFirst()) return { meetings: 0 };
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;
  const between = (lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1));
  const now = new Date();
  const nowIso = now.toISOString();

  const orgs: DemoOrg[] = await trx
    .selectFrom('orgs')
    .select(['id', 'name', 'kind', 'parent_id'])
    .orderBy('id')
    .execute();
  const members: DemoMember[] = await trx
    .selectFrom('members')
    .select(['id', 'org_id', 'name', 'category', 'user_id'])
    .where('status', 'in', [...ACTIVE_STATUSES])
    .orderBy('id')
    .execute();
  const posts = await trx
    .selectFrom('party_posts')
    .select(['member_id', 'org_id', 'post'])
    .where('ended_at', 'is', null)
    .execute();
  const memberById = new Map(members.map((m) => [m.id, m]));
  const byOrg = new Map<number, DemoMember[]>();
  for (const m of members) byOrg.set(m.org_id, [...(byOrg.get(m.org_id) ?? []), m]);
  const holder = (orgId: number, post: PartyPost) =>
    memberById.get(posts.find((p) => p.org_id === orgId && p.post === post)?.member_id ?? -1);
  const committeeOf = (orgId: number) =>
    COMMITTEE_ORDER.map((p) => holder(orgId, p)).filter((m): m is DemoMember => m !== undefined);

  const branches = orgs.filter((o) => o.kind === 'branch');
  const groupsOf = (id: number) => orgs.filter((o) => o.parent_id === id && o.kind === 'group');

  // The year: from the start of the quarter a year ago to four weeks ahead.
  const startMonth = (() => {
    const d = addMonths(today, -12);
    const m = Number(d.slice(5, 7));
    return `${d.slice(0, 4)}-${pad(m - ((m - 1) % 3))}`;
  })();
  const horizon = new Date(now.getTime() + 28 * 86_400_000).toISOString();
  const months: string[] = [];
  for (let m = startMonth; `${m}-01` <= shanghaiDate(horizon); m = addMonths(`${m}-01`, 1).slice(0, 7)) months.push(m);
  const thisYear = today.slice(0, 4);

  // Who falls behind and how: a few branches skip months; two record a quarter's meetings on its last day.
  const shuffled = [...branches].sort(() => rand() - 0.5);
  const keep = new Set(
    branches.filter((b) => byOrg.get(b.id)?.some((m) => m.user_id !== null)).map((b) => b.id), // the demo accounts' branch stays exemplary
  );
  const candidates = shuffled.filter((b) => !keep.has(b.id));
  const behind = new Set(candidates.slice(0, Math.max(3, Math.round(branches.length * 0.18))).map((b) => b.id));
  const lastDayRush = new Set(candidates.slice(behind.size, behind.size + 2).map((b) => b.id));
  const copier = new Set(candidates.slice(behind.size + 2, behind.size + 5).map((b) => b.id));

  const plan: Planned[] = [];
  for (const b of branches) {
    const roster = byOrg.get(b.id) ?? [];
    if (roster.length === 0) continue;
    const fullCount = roster.filter((m) => m.category === 'full').length;
    const committee = committeeOf(b.id);
    const secretary = committee[0] ?? roster.find((m) => m.category === 'full') ?? roster[0];
    const recorder = holder(b.id, 'organization') ?? roster.find((m) => m !== secretary) ?? secretary;
    const themeDay = between(5, 25);
    const location = pick(LOCATIONS);
    const hour = pick([9, 14, 15]);
    const skipRate = behind.has(b.id) ? 0.35 : 0.03;
    const combineQuarter = rand() < 0.55;
    const groups = groupsOf(b.id);
    months.forEach((month, mi) => {
      const mm = Number(month.slice(5, 7));
      const quarterEnd = mm % 3 === 0;
      const rush = lastDayRush.has(b.id) && month.slice(0, 4) === thisYear && mm === 6;
      const rushDate = dayOf(month, 31);
      const skip = () => rand() < skipRate;
      const base = {
        orgId: b.id,
        location,
        invited: roster,
        host: secretary,
        recorder,
        turnout: 0.9,
        minutesStyle: (copier.has(b.id) && mi % 3 === 2 ? 'copy' : rand() < 0.05 ? 'short' : 'normal') as
          | 'normal'
          | 'short'
          | 'copy',
        resolutions: 0,
        review: false,
        topic: THEMES[(mi + b.id) % THEMES.length]!,
      };
      // quarterly 党员大会 and 党课, often in one sitting with the month's 主题党日
      const theme = base.topic;
      if (quarterEnd && !(behind.has(b.id) && rand() < 0.3)) {
        const congressTurnout = rand() < 0.1 ? 0.4 : 0.92; // some without quorum
        if (combineQuarter) {
          plan.push({
            ...base,
            types: ['theme_day', 'party_congress', 'lecture'],
            title: `${mm}月主题党日暨第${mm / 3}季度党员大会、党课`,
            date: rush ? rushDate : dayOf(month, themeDay),
            hour,
            turnout: congressTurnout,
            resolutions: between(1, 2),
          });
        } else {
          plan.push({
            ...base,
            types: ['party_congress'],
            title: `第${mm / 3}季度支部党员大会`,
            date: rush ? rushDate : dayOf(month, Math.max(1, themeDay - 7)),
            hour,
            turnout: congressTurnout,
            resolutions: between(1, 2),
          });
          plan.push({
            ...base,
            types: ['lecture'],
            title: pick(LECTURE_TITLES),
            date: rush ? rushDate : dayOf(month, Math.min(28, themeDay + 3)),
            hour: 15,
          });
          if (!skip()) {
            plan.push({
              ...base,
              types: ['theme_day'],
              title: `${mm}月主题党日：${theme}`,
              date: dayOf(month, themeDay),
              hour,
            });
          }
        }
      } else if (!skip()) {
        plan.push({
          ...base,
          types: ['theme_day'],
          title: `${mm}月主题党日：${theme}`,
          date: rush ? rushDate : dayOf(month, themeDay),
          hour,
        });
      }
      // monthly 支部委员会 where there is a committee (≥7 full members)
      if (fullCount >= 7 && committee.length >= 3 && !skip()) {
        plan.push({
          ...base,
          types: ['committee'],
          title: `${mm}月支部委员会会议`,
          date: rush ? rushDate : dayOf(month, between(1, 6)),
          hour: 10,
          invited: committee,
          turnout: 0.95,
          location: '支部书记办公室',
          resolutions: rand() < 0.3 ? 1 : 0,
        });
      }
      // the year's 组织生活会 with 民主评议党员, in December
      if (mm === 12) {
        plan.push({
          ...base,
          types: ['life_meeting', 'review'],
          title: `${month.slice(0, 4)}年度组织生活会暨民主评议党员大会`,
          date: dayOf(month, between(15, 26)),
          hour: 14,
          turnout: 0.93,
          review: true,
        });
      }
      // monthly 党小组会: each group meets with its share of the branch roster
      groups.forEach((g, gi) => {
        const share = roster.filter((_, i) => i % groups.length === gi);
        if (share.length === 0 || rand() < skipRate) return;
        const leader = holder(g.id, 'group_leader') ?? share[0];
        plan.push({
          ...base,
          orgId: g.id,
          types: ['group'],
          title: `${g.name.replace(b.name, '')}${mm}月学习会`,
          date: dayOf(month, between(8, 20)),
          hour: 16,
          invited: share,
          host: leader,
          recorder: share.find((m) => m !== leader) ?? leader,
          location: '党员活动室',
        });
      });
    });
  }

  // ---- write ----------------------------------------------------------------------------------------------------
  const previousMinutes = new Map<number, string>();
  let count = 0;
  const typeRows: { meeting_id: number; type: string; org_id: number; local_date: string }[] = [];
  const attendeeRows: {
    meeting_id: number;
    member_id: number;
    status: string;
    reason: string | null;
    signed_in_at: string | null;
    via: string | null;
  }[] = [];
  const resolutionRows: {
    meeting_id: number;
    text: string;
    votes_for: number;
    votes_against: number;
    abstentions: number;
    passed: number;
  }[] = [];
  const reviewRows: { meeting_id: number; member_id: number; grade: string }[] = [];
  const flush = async (force = false) => {
    if (!force && attendeeRows.length < 2000) return;
    const parts = <T>(rows: T[]) => {
      const out: T[][] = [];
      for (let i = 0; i < rows.length; i += 400) out.push(rows.slice(i, i + 400));
      rows.length = 0;
      return out;
    };
    for (const rows of parts(typeRows)) await trx.insertInto('meeting_types').values(rows).execute();
    for (const rows of parts(attendeeRows)) await trx.insertInto('meeting_attendees').values(rows).execute();
    for (const rows of parts(resolutionRows)) await trx.insertInto('meeting_resolutions').values(rows).execute();
    for (const rows of parts(reviewRows)) await trx.insertInto('meeting_reviews').values(rows).execute();
  };

  plan.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : a.orgId - b.orgId));
  for (const p of plan) {
    const startsAt = at(p.date, p.hour, p.hour === 14 ? 30 : 0);
    const endsAt = new Date(new Date(startsAt).getTime() + (p.types.length > 1 ? 150 : 90) * 60_000).toISOString();
    if (startsAt > horizon) continue;
    const held = endsAt < nowIso;
    const localDate = shanghaiDate(startsAt);
    // attendance: leave with a reason, a few absent, the rest present; the turnout decides how many are present
    const attendance = p.invited.map((m) => {
      const r = rand();
      const present = r < p.turnout;
      const leave = !present && r < p.turnout + (1 - p.turnout) * 0.7;
      return { m, status: present ? 'present' : leave ? 'leave' : 'absent' };
    });
    if (p.host) {
      const h = attendance.find((a) => a.m.id === p.host!.id);
      if (h) h.status = 'present';
    }
    const present = attendance.filter((a) => a.status === 'present');
    const presentFull = present.filter((a) => a.m.category === 'full').length;
    const fullInvited = p.invited.filter((m) => m.category === 'full').length;
    let minutes = '';
    if (held) {
      if (p.minutesStyle === 'short') minutes = paras([pick(SHORT_MINUTES)]);
      else if (p.minutesStyle === 'copy' && previousMinutes.has(p.orgId)) minutes = previousMinutes.get(p.orgId)!;
      else {
        const speakers = [...present].sort(() => rand() - 0.5).slice(0, between(2, 3));
        const lead =
          `会议由${p.host?.name ?? '支部书记'}主持。应到 ${p.invited.length} 人，实到 ${present.length} 人` +
          `${attendance.some((a) => a.status === 'leave') ? '，请假人员已履行请假手续' : ''}。`;
        const host = p.host?.name ?? '支部书记';
        const body = p.types.map((type) => {
          switch (type) {
            case 'theme_day':
              return `主题党日围绕“${p.topic}”开展，${pick(['全体党员领学了原文', '集中观看了专题视频', '通报了上级有关精神', '交流了走基层调研成果', '开展了志愿服务'])}。`;
            case 'party_congress':
              return `支部党员大会${pick(['听取了支部书记关于本季度党建工作情况的报告', '通报了本季度党员教育管理情况', '传达了上级党组织有关文件精神'])}${p.resolutions > 0 ? '，并对有关事项进行了表决' : ''}。`;
            case 'lecture':
              return `${host}讲授了题为《${p.title.startsWith('党课：') ? p.title.slice(3) : pick(LECTURE_TITLES).slice(3)}》的专题党课，结合科技系统实际，从理论学习、问题剖析、努力方向三个方面进行了阐述。`;
            case 'committee':
              return `会议研究了${pick(['本月党建重点工作安排', '党员发展和教育管理工作', '主题党日活动方案', '党费收缴和使用情况', '上级巡察反馈问题的整改'])}，逐项明确了责任人和完成时限。`;
            case 'life_meeting':
              return '会议通报了上年度组织生活会整改落实情况，支部委员逐一进行对照检查，党员开展批评和自我批评，提出意见建议。';
            case 'review':
              return '随后开展民主评议党员，党员逐一进行自评、互评，支部委员会综合评定了评议等次。';
            case 'group':
              return `党小组学习了“${p.topic}”的有关内容，组员交流了学习体会。`;
            default:
              return '';
          }
        });
        const talk = speakers.map((s) => `${s.m.name}同志${pick(DISCUSSION)}。`);
        minutes = paras([lead, ...body.filter(Boolean), ...talk, pick(REQUIREMENTS)]);
        previousMinutes.set(p.orgId, minutes);
      }
    }
    const submitted = held && new Date(endsAt).getTime() < now.getTime() - 4 * 86_400_000;
    const { id } = await trx
      .insertInto('meetings')
      .values({
        org_id: p.orgId,
        title: p.title,
        status: held ? (submitted ? 'submitted' : 'draft') : 'planned',
        starts_at: startsAt,
        ends_at: endsAt,
        local_date: localDate,
        location: p.location,
        host_id: p.host?.id ?? null,
        recorder_id: p.recorder?.id ?? null,
        guests: held && p.types.includes('life_meeting') ? '上级党组织派员指导' : null,
        minutes: minutes || null,
        minutes_length: minutesLength(minutes),
        minutes_hash: minutesHash(minutes),
        version: 1,
        submitted_at: submitted
          ? new Date(new Date(endsAt).getTime() + between(1, 3) * 86_400_000).toISOString()
          : null,
        submitted_by: submitted ? 'demo' : null,
        created_at: held ? startsAt : nowIso,
        created_by: 'demo',
        updated_at: held ? endsAt : nowIso,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    count++;
    for (const type of p.types) typeRows.push({ meeting_id: id, type, org_id: p.orgId, local_date: localDate });
    if (held) {
      for (const a of attendance) {
        const qr = a.status === 'present' && rand() < 0.4;
        attendeeRows.push({
          meeting_id: id,
          member_id: a.m.id,
          status: a.status,
          reason: a.status === 'leave' ? pick(LEAVE_REASONS) : null,
          signed_in_at: qr ? new Date(new Date(startsAt).getTime() - between(0, 15) * 60_000).toISOString() : null,
          via: qr ? 'qr' : 'manual',
        });
      }
      const resolutionTexts = [...RESOLUTIONS].sort(() => rand() - 0.5).slice(0, p.resolutions);
      for (const text of resolutionTexts) {
        const voters = p.types.includes('committee') ? present.length : presentFull;
        const against = rand() < 0.15 ? 1 : 0;
        const votesFor = Math.max(0, voters - against);
        const base = p.types.includes('committee') ? p.invited.length : fullInvited;
        resolutionRows.push({
          meeting_id: id,
          text,
          votes_for: votesFor,
          votes_against: Math.min(against, voters),
          abstentions: 0,
          passed: base > 0 && votesFor * 2 > base ? 1 : 0,
        });
      }
      if (p.review) {
        for (const a of present) {
          if (a.m.category !== 'full') continue;
          const r = rand();
          reviewRows.push({
            meeting_id: id,
            member_id: a.m.id,
            grade: r < 0.2 ? 'excellent' : r < 0.97 ? 'qualified' : 'basically_qualified',
          });
        }
      }
    }
    await flush();
  }
  await flush(true);
  return { meetings: count };
}
