import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, test } from 'vitest';
import { calendarStore } from '../../src/activities/calendar-store';
import { readRosterFile } from '../../src/activities/roster-file';
import { builtinPolicy } from '../../src/domain/policy';
import { ForbiddenError } from '../../src/service/authorization';
import type { ServiceError } from '../../src/service/errors';
import { Service } from '../../src/service/service';
import { sampleRosterFile } from '../support/mail';
import { advanceTo, useVillageWorld } from '../support/village';

/**
 * Training days (四(一)5 "县委每年举办不少于20天的软弱涣散村村干部专题研修班…每年对村、社区、学校党组织书记、
 * 班子成员进行培训不少于7天，乡镇每年对农村无职党员进行培训不少于5天"): 青石镇's 东风村 (QS03) and 团结村
 * (QS07) are designated in October 2018. In 2019 the county holds its course in two sessions of 10
 * days: the year's course duty is done with the second; 青石镇 trains three cadres for 5 days and its
 * members without post for 3 days, then 2 more: its duty is done with the fifth day. On 2 December
 * (after the county's day, 30 November) the cadres with 5 days are listed as short on the township's
 * page and in November's bulletin; the ones with the course's 10 or 20 days are not.
 */
const roster = readRosterFile(sampleRosterFile);
const world = useVillageWorld({ startAt: '2018-10-19T00:00:00Z' });

describe('training days', () => {
  test('the county course once a year (20 days), the township’s cadres (7 each) and members without post (5): a cadre with 5 days listed as short after 30 November', async () => {
    const service = new Service({ client: world.env.client, taskQueue: world.taskQueue, roster: () => roster, policy: () => builtinPolicy(), calendar: calendarStore(world.mail.calendarDir), now: () => world.env.currentTimeMs() });
    const zhang = service.actor('zzb-zhang');
    const sec = service.actor('qs-sec');
    for (const v of ['QS03', 'QS07']) await service.designate(zhang, v);
    await advanceTo(world.env, '2019-03-15T02:00:00Z');

    // The year's duties: the county's course and the township's training of members without post, both by 30 November (a Saturday in 2019: the 29th).
    const county = await service.countyView(zhang);
    expect([...county.open, ...county.upcoming].find((o) => o.kind === 'county-course' && o.periodLabel.startsWith('2019'))).toMatchObject({ dueDate: '2019-11-29', clause: '四(一)5' });
    const township = await service.townshipView(sec, 'QS');
    expect([...township.open, ...township.upcoming].find((o) => o.kind === 'member-training' && o.periodLabel.startsWith('2019'))).toMatchObject({ dueDate: '2019-11-29', clause: '四(一)5' });

    // The course: only the department records it; its attendees are village cadres of the roster.
    const course = (startOn: string, endOn: string, attendees: string[]) => ({ startOn, endOn, days: 10, topic: '软弱涣散村村干部专题研修：政策法规和群众工作能力', attendees });
    expect(await service.recordCourse(sec, course('2019-03-04', '2019-03-13', ['qs03-vs'])).catch((e: unknown) => e)).toBeInstanceOf(ForbiddenError);
    const wrong = await service.recordCourse(zhang, course('2019-03-04', '2019-03-13', ['qs-sec', 'qs03-vs'])).catch((e: unknown) => e);
    expect((wrong as ServiceError).fields).toEqual([{ path: 'attendees.0', message: '张振华（乡镇党委书记）不是村党组织书记或班子成员' }]);
    const tooMany = await service.recordCourse(zhang, { ...course('2019-03-11', '2019-03-13', ['qs03-vs']) }).catch((e: unknown) => e);
    expect((tooMany as ServiceError).fields).toEqual([{ path: 'days', message: '培训天数10天多于2019-03-11至2019-03-13的3天' }]);
    const first = await service.recordCourse(zhang, course('2019-03-04', '2019-03-13', ['qs03-vs', 'qs03-wy1']));
    expect(first.courses).toEqual([{ startOn: '2019-03-04', endOn: '2019-03-13', days: 10, topic: expect.any(String), attendees: 2, by: 'zzb-zhang' }]);
    expect(first.open.some((o) => o.kind === 'county-course') || first.upcoming.some((o) => o.kind === 'county-course')).toBe(true);

    await advanceTo(world.env, '2019-06-17T02:00:00Z');
    const second = await service.recordCourse(zhang, course('2019-06-03', '2019-06-14', ['qs03-vs', 'qs07-vs']));
    expect(second.recentlyClosed.find((c) => c.kind === 'county-course')?.closed).toMatchObject({ how: 'fulfilled', on: '2019-06-14', by: 'zzb-zhang' });

    // The township's own training: its cadres only; members without post with their headcount.
    await advanceTo(world.env, '2019-09-09T02:00:00Z');
    const cadres = { kind: 'cadres', startOn: '2019-09-02', endOn: '2019-09-06', days: 5, topic: '村干部履职能力培训', people: ['qs03-wy2', 'qs07-wy1', 'qs07-wy2'] };
    const other = await service.recordTraining(sec, 'QS', { ...cadres, people: ['lh02-vs'] }).catch((e: unknown) => e);
    expect((other as ServiceError).fields?.[0]?.path).toBe('people.0');
    await service.recordTraining(sec, 'QS', cadres);
    const members = (startOn: string, endOn: string, days: number) => ({ kind: 'members', startOn, endOn, days, topic: '农村无职党员设岗定责培训', headcount: 38 });
    const three = await service.recordTraining(sec, 'QS', members('2019-09-02', '2019-09-04', 3));
    expect(three.open.some((o) => o.kind === 'member-training') || three.upcoming.some((o) => o.kind === 'member-training')).toBe(true);
    const five = await service.recordTraining(sec, 'QS', members('2019-09-05', '2019-09-06', 2));
    expect(five.recentlyClosed.find((c) => c.kind === 'member-training')?.closed).toMatchObject({ how: 'fulfilled', on: '2019-09-06', by: 'qs-sec' });
    const year = five.training.find((y) => y.year === 2019)!;
    expect(year.memberDays).toBe(5);
    expect(year.days).toEqual({ 'qs03-vs': 20, 'qs03-wy1': 10, 'qs07-vs': 10, 'qs03-wy2': 5, 'qs07-wy1': 5, 'qs07-wy2': 5 });

    // 2 December: the cadres with 5 days are short, in November's bulletin.
    await advanceTo(world.env, '2019-12-02T03:00:00Z');
    const bulletin = world.mail.sink.to('zzb-zhang@county.example.org').find((m) => m.subject === '【通报送审】云岭县2019年11月软弱涣散村党组织整顿工作进展情况')!;
    expect(bulletin.text).toContain('六、2019年培训不足7天的村党组织书记、班子成员（四(一)5）：青石镇3人');
    const docx = bulletin.attachments.find((a) => a.filename.endsWith('.docx'))!;
    const text = strFromU8(unzipSync(new Uint8Array(docx.content))['word/document.xml']!).replace(/<[^>]+>/g, '');
    expect(text).toContain('六、村党组织书记、班子成员培训情况');
    expect(text).toContain('青石镇（3人）：东风村黄志强5天；团结村韦丽萍5天；团结村蒙建华5天。');
    expect(text).toContain('七、有关要求');
    // October's bulletin, drawn up before the day, said nothing of training.
    const october = world.mail.sink.to('zzb-zhang@county.example.org').find((m) => m.subject === '【通报送审】云岭县2019年10月软弱涣散村党组织整顿工作进展情况')!;
    expect(october.text).not.toContain('培训不足7天');
  }, 900_000);
});
