// `twinembed eval sts | pairs | triplets | retrieval`: a text model directory + a data file →
// sentence-transformers' evaluator figures under its metric names (see @twinembed/core's eval/text).
import { type Command, Option } from 'commander';
import { binaryClassificationEvaluator, retrievalEvaluator, similarityEvaluator, tripletEvaluator, type RetrievalSimilarity, type SimilarityFunction } from '@twinembed/core';
import { readIdTexts, readQrels } from '../data/retrieval-files.js';
import { PAIR_FORMATS, readLabelledPairs, readScoredPairs, type PairFormat } from '../data/text-pairs.js';
import { readTriplets } from '../data/text-triplets.js';
import type { CliIo } from './main.js';
import { MODEL_RULE, modelOption, resolveModelOption } from './model-option.js';
import { commaList, nonNegative, positiveInteger } from './option-values.js';
import { runTextEvaluator, type TextRunOptions } from './eval-text-run.js';

interface PairOptions extends TextRunOptions { data: string; format?: PairFormat; similarity?: SimilarityFunction[] }
interface TripletOptions extends TextRunOptions { data: string; similarity?: SimilarityFunction[]; margin: number }
interface RetrievalOptions extends TextRunOptions { queries: string; corpus: string; qrels: string; similarity: RetrievalSimilarity; index: 'flat' | 'hnsw'; ef?: number }

function textCommand(parent: Command, name: string, description: string): Command {
  return parent.command(name).description(description)
    .addOption(modelOption({ description: 'a text model (model.onnx + tokenizer.json, optional twinembed.json)', fallback: 'text' }))
    .option('--batch-size <n>', 'texts per session run', positiveInteger, 32)
    .option('--json', 'print { evaluator, primaryMetric, metrics, examples, texts, … } as JSON')
    .addHelpText('after', MODEL_RULE);
}

const SIMILARITIES = '--similarity <names>';
const SIMILARITIES_HELP = 'comma-separated similarities among cosine, dot, euclidean, manhattan (default: all four; the primary metric uses cosine)';

export function registerTextEval(command: Command, io: CliIo): void {
  textCommand(command, 'sts', 'sentence pairs with gold scores: Pearson and Spearman of each similarity (EmbeddingSimilarityEvaluator)')
    .requiredOption('--data <file>', 'STS-B .csv/.tsv (score in column 5, sentences in 6 and 7), SICK .txt (relatedness_score), or JSONL {"sentence1", "sentence2", "score"}')
    .addOption(new Option('--format <format>', 'the file\'s format (default: detected)').choices(PAIR_FORMATS.filter((f) => f !== 'mrpc')))
    .option(SIMILARITIES, SIMILARITIES_HELP, commaList)
    .action(async (options: PairOptions) => {
      const o = resolveModelOption(options);
      const pairs = await readScoredPairs(o.data, { format: o.format });
      const evaluator = similarityEvaluator({ ...pairs, similarities: o.similarity as SimilarityFunction[] | undefined });
      await runTextEvaluator(evaluator, o, io, { data: o.data, format: pairs.format });
    });
  textCommand(command, 'pairs', 'labelled pairs (1 = same meaning): best-threshold accuracy, F1, precision, recall, AP (BinaryClassificationEvaluator)')
    .requiredOption('--data <file>', 'MRPC msr_paraphrase_*.txt (Quality, #1 ID, #2 ID, #1 String, #2 String) or JSONL {"sentence1", "sentence2", "label"}')
    .addOption(new Option('--format <format>', 'the file\'s format (default: detected)').choices(['mrpc', 'jsonl']))
    .option(SIMILARITIES, SIMILARITIES_HELP, commaList)
    .action(async (options: PairOptions) => {
      const o = resolveModelOption(options);
      const pairs = await readLabelledPairs(o.data, { format: o.format });
      const evaluator = binaryClassificationEvaluator({ ...pairs, similarities: o.similarity });
      await runTextEvaluator(evaluator, o, io, { data: o.data, format: pairs.format });
    });
  textCommand(command, 'triplets', 'triplets: share whose positive is nearer the anchor than the negative (TripletEvaluator)')
    .requiredOption('--data <file>', 'JSONL {"anchor", "positive", "negative"}')
    .option(SIMILARITIES, SIMILARITIES_HELP, commaList)
    .option('--margin <x>', 'the positive must beat the negative by more than this', nonNegative, 0)
    .action(async (options: TripletOptions) => {
      const o = resolveModelOption(options);
      const evaluator = tripletEvaluator({ ...(await readTriplets(o.data)), similarities: o.similarity, margin: o.margin });
      await runTextEvaluator(evaluator, o, io, { data: o.data });
    });
  registerRetrieval(command, io);
}

function registerRetrieval(command: Command, io: CliIo): void {
  textCommand(command, 'retrieval', 'queries against a corpus through a twinembed index: MRR@10, NDCG@10, MAP@100, accuracy/precision/recall@1,3,5,10 (InformationRetrievalEvaluator)')
    .requiredOption('--queries <file>', 'JSONL {"_id" or "id", "text"} (BEIR\'s queries.jsonl)')
    .requiredOption('--corpus <file>', 'JSONL {"_id" or "id", "text", "title"?} (BEIR\'s corpus.jsonl; a title goes before the text)')
    .requiredOption('--qrels <file>', 'relevant documents: JSONL {"query-id", "corpus-id", "score"?} or BEIR\'s tab-separated query-id, corpus-id, score; score ≤ 0 is not relevant')
    .addOption(new Option('--similarity <name>', 'ranking similarity').choices(['cosine', 'dot', 'euclidean']).default('cosine'))
    .addOption(new Option('--index <backend>', 'flat (exact) or hnsw (approximate, twinembed\'s own)').choices(['flat', 'hnsw']).default('flat'))
    .option('--ef <n>', 'HNSW candidate list while searching (at least the deepest cutoff, 100)', positiveInteger)
    .addHelpText('after', '\nQueries without a relevant document are left out, as sentence-transformers does.')
    .action(async (options: RetrievalOptions) => {
      const o = resolveModelOption(options);
      const [queries, corpus, relevant] = await Promise.all([readIdTexts(o.queries), readIdTexts(o.corpus), readQrels(o.qrels)]);
      const evaluator = retrievalEvaluator({ queries, corpus, relevant, similarity: o.similarity, backend: o.index, ef: o.ef });
      await runTextEvaluator(evaluator, o, io, { queries: o.queries, corpus: o.corpus, documents: corpus.length, index: o.index });
    });
}
