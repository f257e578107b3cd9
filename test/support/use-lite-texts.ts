// The texts the default text model is checked on against its TF.js original: the edge cases the
// issue names (empty, one character, > 128 pieces, punctuation only, non-Latin scripts, emoji, mixed
// case) and 200 seeded sentences of 1–70 words mixing them, so batches hold rows of very different lengths.
import { seededRandom } from './random.js';

const EDGES = [
  '', 'a', 'Z', '.', '7', '€', 'é', '😀', ' ', '  ',
  'Hello World', 'hello world', 'HELLO WORLD', 'hElLo WoRlD', 'iPhone vs. IPHONE vs. iphone',
  '...', '?!?!', ':-)', '---', '"\'"', '(){}[]<>', '!!!!!!!!!!!!!!!!!!!!', '://', '.,;:!?',
  'Привет, мир', 'こんにちは世界', '你好，世界', 'مرحبا بالعالم', 'שלום עולם', 'नमस्ते दुनिया', 'Γειά σου Κόσμε', '안녕하세요 세계', 'Ça va? Très bien, merci.', 'ﬁne ＦＵＬＬＷＩＤＴＨ ①②③',
  'I love pizza 🍕🍕🍕', '👍🏽 great job', '🇫🇷🇩🇪', '👨‍👩‍👧‍👦 family', 'rain ☔ and sun ☀️',
  'The quick brown fox jumps over the lazy dog. '.repeat(20).trim(),
  'supercalifragilisticexpialidocious'.repeat(12),
  '😀'.repeat(200),
  Array.from({ length: 150 }, (_, i) => `w${i}`).join(' '),
];

const WORDS = [
  'the', 'a', 'man', 'woman', 'is', 'playing', 'guitar', 'dog', 'runs', 'across', 'field', 'cat', 'sleeps', 'on', 'sofa',
  'Obama', 'NASA', 'London', 'market', 'prices', 'rose', '3.5%', '2024', 'U.S.', "don't", 'well-known', 'e-mail',
  'über', 'naïve', 'café', 'Москва', '東京', '😀', '🚀', '!', '?', ',', '.', ';', '"quoted"', '(aside)', '#tag', '@user', 'http://example.com/x?y=1',
];

function sentence(next: () => number): string {
  const length = 1 + Math.floor(next() ** 2 * 70);
  const words = Array.from({ length }, () => WORDS[Math.floor(next() * WORDS.length)]!);
  const text = words.join(next() < 0.1 ? '  ' : ' ');
  const r = next();
  return r < 0.15 ? text.toUpperCase() : r < 0.3 ? text[0]!.toUpperCase() + text.slice(1) : text;
}

const next = seededRandom(13);
export const ORACLE_TEXTS: readonly string[] = [...EDGES, ...Array.from({ length: 200 }, () => sentence(next))];
