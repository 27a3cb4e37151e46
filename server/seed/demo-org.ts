import type { Role } from '../../core/taxonomy.ts';
import type { Services } from '../container.ts';
import type { OrgUnit } from '../db/schema.ts';
import { DEMO_STATIONS as STATION_TOWNS, VILLAGES } from './demo-texts.ts';

/** The fictional demo company: 示范县供电公司, five departments and eight 供电所. */
export const DEMO_COMPANY = { code: 'SFX', name: '示范县供电公司', customerCount: 186_400 };

export const DEMO_DEPARTMENTS = [
  { code: 'SFX-KFZX', name: '客户服务中心' },
  { code: 'SFX-YXB', name: '营销部' },
  { code: 'SFX-YJB', name: '运检部' },
  { code: 'SFX-JJJC', name: '纪检监察室' },
  { code: 'SFX-BGS', name: '办公室' },
] as const;

export const DEMO_STATIONS = [
  { code: 'SFX-CG', name: '城关供电所', areaType: 'urban', customerCount: 42_300 },
  { code: 'SFX-DC', name: '东城供电所', areaType: 'urban', customerCount: 31_800 },
  { code: 'SFX-XH', name: '西湖供电所', areaType: 'rural', customerCount: 18_600 },
  { code: 'SFX-NS', name: '南山供电所', areaType: 'rural', customerCount: 15_200 },
  { code: 'SFX-BT', name: '北塔供电所', areaType: 'rural', customerCount: 16_900 },
  { code: 'SFX-HK', name: '河口供电所', areaType: 'rural', customerCount: 21_400 },
  { code: 'SFX-SQ', name: '石桥供电所', areaType: 'rural', customerCount: 12_700 },
  { code: 'SFX-LSW', name: '柳树湾供电所', areaType: 'rural', customerCount: 9_800 },
] as const;

/** One demo user per role, with the unit each belongs to. */
export const DEMO_USERS: ReadonlyArray<{ username: string; displayName: string; unit: string; roles: Role[] }> = [
  { username: 'admin', displayName: '系统管理员', unit: 'SFX-BGS', roles: ['admin'] },
  { username: 'agent', displayName: '李受理', unit: 'SFX-KFZX', roles: ['agent'] },
  { username: 'reviewer', displayName: '王审核', unit: 'SFX-KFZX', roles: ['reviewer'] },
  { username: 'leader', displayName: '赵经理', unit: 'SFX', roles: ['leader'] },
  { username: 'discipline', displayName: '孙纪检', unit: 'SFX-JJJC', roles: ['discipline'] },
  { username: 'analyst', displayName: '周分析', unit: 'SFX-YXB', roles: ['analyst'] },
  { username: 'unitlead', displayName: '陈所长', unit: 'SFX-CG', roles: ['unit_lead'] },
  { username: 'handler', displayName: '刘台区经理', unit: 'SFX-CG', roles: ['handler'] },
  { username: 'handler2', displayName: '吴台区经理', unit: 'SFX-DC', roles: ['handler'] },
];

/** Creates the demo organisation and users through the services; returns the units by code. */
export async function seedDemoOrg(services: Services, password: string): Promise<Map<string, OrgUnit>> {
  const units = new Map<string, OrgUnit>();
  const company = await services.org.create(null, { ...DEMO_COMPANY, kind: 'company', parentId: null, areaType: 'urban' });
  units.set(company.code, company);
  for (const d of DEMO_DEPARTMENTS) {
    units.set(d.code, await services.org.create(null, { ...d, kind: 'department', parentId: company.id, areaType: 'urban' }));
  }
  for (const st of DEMO_STATIONS) {
    units.set(st.code, await services.org.create(null, { ...st, kind: 'station', parentId: company.id }));
  }
  // The place → 供电所 map behind unit suggestion at intake: each station's town and its streets or villages.
  const places = DEMO_STATIONS.flatMap((st) => {
    const unitId = (units.get(st.code) as OrgUnit).id;
    const town = STATION_TOWNS.find((t) => t.name === st.name)?.town;
    return [...(town ? [town] : []), ...(VILLAGES[st.name] ?? [])].map((place) => ({ place, unitId }));
  });
  await services.text.seedAreas(company.id, places);
  for (const u of DEMO_USERS) {
    const unit = units.get(u.unit) as OrgUnit;
    await services.users.create(null, { ...u, unitId: unit.id, password, mustChangePassword: false });
  }
  return units;
}
