/** The eleven prefecture-level cities of Jiangxi plus Ganjiang New Area (DOMAIN.md). */
export const PREFECTURES = [
  '南昌市', '九江市', '景德镇市', '萍乡市', '新余市', '鹰潭市', '赣州市', '吉安市', '宜春市', '抚州市', '上饶市', '赣江新区',
] as const;
