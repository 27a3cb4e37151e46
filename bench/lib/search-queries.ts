/** What the search benchmarks type: common and rarer words, and what agents type into the box. */
export const SEARCH_QUERIES = [
  '抢修',
  '电费',
  '停电 抢修',
  '电表 计量',
  '低电压',
  '乱收费',
  '台区经理',
  '供电所 态度',
  '窃电',
  '业扩报装',
  // Substrings inside jieba words, a space inside a word, an exclusion (the agent's search box).
  '电所',
  '家沟村',
  '电 费',
  '停电 -抢修',
];
