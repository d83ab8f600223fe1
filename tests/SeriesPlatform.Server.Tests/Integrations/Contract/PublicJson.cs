using System.Text.Json;
using System.Text.Json.Serialization;

namespace SeriesPlatform.Server.Tests.Integrations.Contract;

/// <summary>The public records' JSON as the contract defines it: camelCase, nulls written.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SeriesCreatedV1))]
[JsonSerializable(typeof(EditionPlannedV1))]
[JsonSerializable(typeof(EditionRescheduledV1))]
[JsonSerializable(typeof(EditionChangedV1))]
[JsonSerializable(typeof(EditionCancelledV1))]
[JsonSerializable(typeof(TalkScheduledV1))]
[JsonSerializable(typeof(TalkRescheduledV1))]
[JsonSerializable(typeof(TalkRevisedV1))]
[JsonSerializable(typeof(TalkCancelledV1))]
[JsonSerializable(typeof(BreakScheduledV1))]
[JsonSerializable(typeof(PosterSessionScheduledV1))]
[JsonSerializable(typeof(BreakoutOpenedV1))]
[JsonSerializable(typeof(BreakoutClosedV1))]
[JsonSerializable(typeof(AttendeeStatusV1))]
[JsonSerializable(typeof(RegistrationCancelledV1))]
[JsonSerializable(typeof(SeriesRevisedV1))]
[JsonSerializable(typeof(SeriesOrganizerAddedV1))]
[JsonSerializable(typeof(EditionOrganizerAddedV1))]
[JsonSerializable(typeof(AgendaPublishedV1))]
[JsonSerializable(typeof(PosterSubmittedV1))]
[JsonSerializable(typeof(PosterPrizeAwardedV1))]
[JsonSerializable(typeof(PeopleMergedV1))]
public sealed partial class PublicJson : JsonSerializerContext;
