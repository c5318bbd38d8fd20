import { parseRoster, type Roster, type RosterInput } from '../../src/domain/roster';

type DesignationInput = NonNullable<RosterInput['designations']>[number];

/**
 * A small county for tests: townships T1…Tn with villages Tn-V1…Tn-V<villagesPerTownship>, a party
 * secretary and organization officer per township, one organization department staff member,
 * and, for every designated village, a first secretary and a village party secretary.
 */
export function testRoster(opts: {
  townships?: number;
  villagesPerTownship?: number;
  designations?: DesignationInput[];
  firstSecretaries?: boolean;
}): Roster {
  const townships = Array.from({ length: opts.townships ?? 2 }, (_, i) => ({ code: `T${i + 1}`, name: `第${i + 1}镇` }));
  const villages = townships.flatMap((t) =>
    Array.from({ length: opts.villagesPerTownship ?? 4 }, (_, j) => ({ code: `${t.code}-V${j + 1}`, name: `${t.name}${j + 1}村`, township: t.code })),
  );
  const designations = opts.designations ?? [];
  const people: RosterInput['people'] = [
    { id: 'zzb-1', name: '组织部干部', email: 'zzb@county.example.org', role: 'org-department-staff' },
    ...townships.flatMap((t) => [
      { id: `${t.code}-sec`, name: `${t.name}书记`, email: `${t.code.toLowerCase()}-sec@county.example.org`, role: 'township-party-secretary' as const, township: t.code },
      { id: `${t.code}-org`, name: `${t.name}组织干事`, email: `${t.code.toLowerCase()}-org@county.example.org`, role: 'organization-officer' as const, township: t.code },
    ]),
    ...[...new Set(designations.map((d) => d.village))].flatMap((v) => [
      ...(opts.firstSecretaries === false
        ? []
        : [{ id: `${v}-fs`, name: `${v}第一书记`, email: `${v.toLowerCase()}-fs@county.example.org`, role: 'first-secretary' as const, village: v }]),
      { id: `${v}-vs`, name: `${v}村书记`, email: `${v.toLowerCase()}-vs@county.example.org`, role: 'village-party-secretary' as const, village: v },
    ]),
  ];
  const result = parseRoster({ county: { code: 'C1', name: '某县' }, townships, villages, people, designations });
  if (!result.ok) throw new Error(`test roster invalid: ${JSON.stringify(result.issues)}`);
  return result.roster;
}

export const evidence = '村党支部书记长期外出务工，2018年以来仅召开两次支委会，群众反映办事找不到人。';
