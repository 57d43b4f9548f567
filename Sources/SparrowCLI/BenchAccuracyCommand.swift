import ArgumentParser
import Bench
import Foundation
import SparseFormats

/// `sparrow bench accuracy`: what one-shot magnitude pruning costs a sentence encoder.
struct BenchAccuracyCommand: ReportingCommand {
    static let configuration = CommandConfiguration(
        commandName: "accuracy",
        abstract: "Prune a model folder's linear layers in memory and compare its embeddings and pair similarities with the unpruned model's.",
        discussion: """
            Per pattern and sparsity: the mean and smallest cosine between each sentence's pruned and \
            unpruned embedding, and Spearman's rank correlation between the pruned and unpruned cosine \
            similarities of the pairs. --pairs: one pair a line, kind<TAB>first<TAB>second (# comments); \
            data/sentence-pairs.tsv holds 105 (paraphrase, related, unrelated).
            """)

    @Argument(help: "A sentence-transformers model folder.")
    var model: String

    @Option(name: .long, help: "The sentence pairs (default data/sentence-pairs.tsv).")
    var pairs = "data/sentence-pairs.tsv"

    @Option(name: .long, parsing: .upToNextOption, help: "Fractions of each linear weight to zero.")
    var sparsity: [Double] = [0.5, 0.7, 0.9]

    @Option(name: .long, parsing: .upToNextOption, help: "unstructured, block:RxC (N:M patterns have their own sparsity: give --sparsity to match).")
    var pattern: [String] = ["unstructured", "block:4x4"]

    @Option(name: .long, help: "Write the report as JSON.")
    var json: String?

    @Option(name: .long, help: "Write the table as markdown.")
    var markdown: String?

    func execute() throws {
        var job = PruningAccuracyJob(model: model, pairs: pairs)
        job.sparsities = sparsity
        job.patterns = try pattern.map { try PruningPattern(parsing: $0) }
        let report = try job.run(note: Console.note)
        let text = report.markdown()
        if let json { try (BenchJSON.encoder(pretty: true).encode(report) + Data("\n".utf8)).write(to: URL(fileURLWithPath: json)) }
        if let markdown { try Data(text.utf8).write(to: URL(fileURLWithPath: markdown)) }
        print(text)
    }
}
