import Foundation
import GRDB
import Tuner

/// One row of the database: a trial with its problem, context and config id. Also the object
/// of one line of an export file, with the columns' names, flat.
package struct StoredTrial: Sendable, Hashable {
    /// The problem measured.
    package var problem: ProblemKey
    /// Where it was measured.
    package var context: TuningContext
    /// The problem's source and pattern statistics (schema v2; nil fields in older rows).
    package var details: ProblemDetails
    /// The config's family (`"tiled"`), for counts by family.
    package var family: String
    /// The config's stable id (its `description`).
    package var config: String
    package var phase: TrialPhase
    package var proxySeconds: Double?
    /// The measurer's statistic (the median of the samples) when ``status`` is `ok`, else nil.
    package var realSeconds: Double?
    /// Every timed run, in seconds (a JSON array in the database).
    package var sampleSeconds: [Double]
    package var compileSeconds: Double?
    package var status: TrialStatus.Kind
    /// The failure's message; nil for `ok`.
    package var statusDetail: String?
    /// A wrong result's relative error, when computed.
    package var relativeError: Double?
    package var origin: TrialOrigin?
    /// When it was recorded: ISO 8601 in UTC with milliseconds (`2026-11-30T11:26:00.123Z`),
    /// kept as text so that it sorts and round-trips exactly.
    package var recordedAt: String

    /// `date` as ``recordedAt`` writes it.
    package static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter.string(from: date)
    }
}

extension StoredTrial: Codable {
    /// The columns after the problem's and the context's.
    enum CodingKeys: String, CodingKey {
        case family, config, phase
        case proxySeconds = "proxy_seconds"
        case realSeconds = "real_seconds"
        case sampleSeconds = "sample_seconds"
        case compileSeconds = "compile_seconds"
        case status
        case statusDetail = "status_detail"
        case relativeError = "relative_error"
        case origin
        case recordedAt = "recorded_at"
    }

    // The problem and the context share the row's (or the JSON object's) one flat container,
    // so the columns need no prefixes and the export reads like the table.
    package init(from decoder: any Decoder) throws {
        problem = try ProblemKey(from: decoder)
        context = try TuningContext(from: decoder)
        details = try ProblemDetails(from: decoder)
        let container = try decoder.container(keyedBy: CodingKeys.self)
        family = try container.decode(String.self, forKey: .family)
        config = try container.decode(String.self, forKey: .config)
        phase = try container.decode(TrialPhase.self, forKey: .phase)
        proxySeconds = try container.decodeIfPresent(Double.self, forKey: .proxySeconds)
        realSeconds = try container.decodeIfPresent(Double.self, forKey: .realSeconds)
        sampleSeconds = try container.decode([Double].self, forKey: .sampleSeconds)
        compileSeconds = try container.decodeIfPresent(Double.self, forKey: .compileSeconds)
        status = try container.decode(TrialStatus.Kind.self, forKey: .status)
        statusDetail = try container.decodeIfPresent(String.self, forKey: .statusDetail)
        relativeError = try container.decodeIfPresent(Double.self, forKey: .relativeError)
        origin = try container.decodeIfPresent(TrialOrigin.self, forKey: .origin)
        recordedAt = try container.decode(String.self, forKey: .recordedAt)
    }

    package func encode(to encoder: any Encoder) throws {
        try problem.encode(to: encoder)
        try context.encode(to: encoder)
        try details.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(family, forKey: .family)
        try container.encode(config, forKey: .config)
        try container.encode(phase, forKey: .phase)
        // Nil optionals are written as nulls, so every row and line has every column.
        try container.encode(proxySeconds, forKey: .proxySeconds)
        try container.encode(realSeconds, forKey: .realSeconds)
        try container.encode(sampleSeconds, forKey: .sampleSeconds)
        try container.encode(compileSeconds, forKey: .compileSeconds)
        try container.encode(status, forKey: .status)
        try container.encode(statusDetail, forKey: .statusDetail)
        try container.encode(relativeError, forKey: .relativeError)
        try container.encode(origin, forKey: .origin)
        try container.encode(recordedAt, forKey: .recordedAt)
    }
}

extension StoredTrial: FetchableRecord, PersistableRecord {
    package static let databaseTableName = "trial"
}
