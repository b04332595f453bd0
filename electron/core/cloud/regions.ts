/** Where IoT Platform runs: the regions a target can name (cloud-api.md §4). Pure data. */
import { text, type Text } from '../i18n/text.js';

export interface Region {
  readonly id: string;
  readonly name: Text;
  /** Only Enterprise instances exist in this region (the public instance is not offered). */
  readonly enterpriseOnly: boolean;
}

/** IoT Platform regions (cloud-api.md §4: help.aliyun.com/en/iot/user-guide/regions). */
export const ALIYUN_REGIONS: readonly Region[] = [
  { id: 'cn-shanghai', name: text('China (Shanghai)', '华东2（上海）'), enterpriseOnly: false },
  { id: 'ap-southeast-1', name: text('Singapore', '新加坡'), enterpriseOnly: false },
  { id: 'ap-northeast-1', name: text('Japan (Tokyo)', '日本（东京）'), enterpriseOnly: false },
  { id: 'us-west-1', name: text('US (Silicon Valley)', '美国（硅谷）'), enterpriseOnly: false },
  { id: 'us-east-1', name: text('US (Virginia)', '美国（弗吉尼亚）'), enterpriseOnly: false },
  { id: 'eu-central-1', name: text('Germany (Frankfurt)', '德国（法兰克福）'), enterpriseOnly: false },
  {
    id: 'cn-beijing',
    name: text('China (Beijing) — Enterprise instances only', '华北2（北京）— 仅企业版实例'),
    enterpriseOnly: true,
  },
  {
    id: 'cn-shenzhen',
    name: text('China (Shenzhen) — Enterprise instances only', '华南1（深圳）— 仅企业版实例'),
    enterpriseOnly: true,
  },
];

/** The region entry for an ID, if it is one IoT Platform offers. */
export function regionById(id: string | undefined): Region | undefined {
  return ALIYUN_REGIONS.find((r) => r.id === id);
}
