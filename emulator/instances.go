package emulator

import (
	"encoding/json"
	"fmt"
	"regexp"
	"slices"
	"time"

	"github.com/go-aisearch/tokens/generated"
)

// AI Search instances: each lives in a namespace of an account, names the
// registration it indexes with (token_id), and keeps every setting its
// create and update bodies carry. Nothing stores that a registration is in
// use: it is read from this table (instancesUsing). An instance's status
// and last activity are read from its jobs (instanceStatus).

// defaultNamespace is the namespace every account has.
const defaultNamespace = "default"

// instance is a row of the instances table. Pointers are the settings that
// may be null; the others always have a value (their default until set).
type instance struct {
	Account    string                 `json:"account"`
	Namespace  string                 `json:"namespace"`
	ID         string                 `json:"id"`             // unique within the namespace
	Type       generated.InstanceType `json:"type,omitempty"` // "" is built-in storage
	TokenID    string                 `json:"token_id"`       // "" when it has none (built-in only)
	CreatedAt  time.Time              `json:"created_at"`
	ModifiedAt time.Time              `json:"modified_at"`

	Source               *string                         `json:"source,omitempty"`
	SourceParams         *generated.SourceParams         `json:"source_params,omitempty"`
	AiGatewayID          *string                         `json:"ai_gateway_id,omitempty"`
	AiSearchModel        *string                         `json:"ai_search_model,omitempty"`
	RewriteModel         *string                         `json:"rewrite_model,omitempty"`
	SummarizationModel   *string                         `json:"summarization_model,omitempty"`
	EmbeddingModel       *string                         `json:"embedding_model,omitempty"`
	RerankingModel       *string                         `json:"reranking_model,omitempty"`
	Cache                bool                            `json:"cache"`
	CacheThreshold       generated.CacheThreshold        `json:"cache_threshold"`
	CacheTTL             int                             `json:"cache_ttl"`
	Chunk                bool                            `json:"chunk"`
	ChunkSize            *int                            `json:"chunk_size,omitempty"`
	ChunkOverlap         int                             `json:"chunk_overlap"`
	MaxNumResults        int                             `json:"max_num_results"`
	ScoreThreshold       float64                         `json:"score_threshold"`
	Reranking            bool                            `json:"reranking"`
	RewriteQuery         bool                            `json:"rewrite_query"`
	Summarization        bool                            `json:"summarization"`
	SystemPromptAiSearch *string                         `json:"system_prompt_ai_search,omitempty"`
	SystemPromptSummary  *string                         `json:"system_prompt_index_summarization,omitempty"`
	SystemPromptRewrite  *string                         `json:"system_prompt_rewrite_query,omitempty"`
	FusionMethod         generated.FusionMethod          `json:"fusion_method"`
	IndexMethod          generated.IndexMethod           `json:"index_method"`
	IndexingOptions      *generated.IndexingOptions      `json:"indexing_options,omitempty"`
	RetrievalOptions     *generated.RetrievalOptions     `json:"retrieval_options,omitempty"`
	CustomMetadata       *generated.CustomMetadata       `json:"custom_metadata,omitempty"`
	Metadata             *generated.InstanceMetadata     `json:"metadata,omitempty"`
	PublicEndpointParams *generated.PublicEndpointParams `json:"public_endpoint_params,omitempty"`
	SyncInterval         int                             `json:"sync_interval"`
	HybridSearchEnabled  bool                            `json:"hybrid_search_enabled"`
	Paused               bool                            `json:"paused"`
	Enable               bool                            `json:"enable"`
	EngineVersion        float64                         `json:"engine_version"`
}

// newInstance is an instance with every documented default (openapi.yaml,
// InstanceSettings and Instance).
func newInstance(account, namespace, id string, now time.Time) instance {
	return instance{
		Account: account, Namespace: namespace, ID: id, CreatedAt: now, ModifiedAt: now,
		Cache: true, CacheThreshold: generated.CacheThresholdCloseEnough, CacheTTL: 172800,
		Chunk: true, ChunkOverlap: 10, MaxNumResults: 10, ScoreThreshold: 0.4,
		FusionMethod: generated.FusionMethodRRF, IndexMethod: generated.IndexMethod{Vector: true},
		SyncInterval: 21600, Enable: true, EngineVersion: 3,
	}
}

// UnmarshalJSON reads a row with the defaults for what it lacks, so the
// rows of state files written before instances kept their settings
// (account, namespace, id, token_id, created_at) load as instances with
// default settings.
func (in *instance) UnmarshalJSON(b []byte) error {
	type plain instance
	p := plain(newInstance("", "", "", time.Time{}))
	if err := json.Unmarshal(b, &p); err != nil {
		return err
	}
	if p.ModifiedAt.IsZero() {
		p.ModifiedAt = p.CreatedAt
	}
	*in = instance(p)
	return nil
}

// instanceKey files an instance under its account, by namespace and id.
func instanceKey(i *instance) (owner, id string) { return i.Account, instanceRowID(i.Namespace, i.ID) }

// instanceRowID is an instance's id in its table: namespace/id.
func instanceRowID(namespace, id string) string { return namespace + "/" + id }

// instanceIDPattern is the documented alphabet of instance ids (the spec
// says it in words only), which namespace names share by the emulator's
// choice.
var instanceIDPattern = regexp.MustCompile(`^[a-z0-9_-]{1,64}$`)

func validInstanceID(id string) bool { return instanceIDPattern.MatchString(id) }

// getInstance is the account's instance id of a namespace.
func (s *store) getInstance(tx *tx, account, namespace, id string) (instance, bool) {
	return s.instances.get(tx, account, instanceRowID(namespace, id))
}

// instancesUsing returns the ids of the account's instances whose token_id
// is registrationID, in order (namespace/id when not in "default").
func (s *store) instancesUsing(tx *tx, account, registrationID string) []string {
	var ids []string
	for _, in := range s.instances.rows(tx, account) {
		if in.TokenID == registrationID {
			ids = append(ids, in.label())
		}
	}
	return ids
}

// label names an instance in messages: its id, after its namespace when
// that is not "default".
func (in instance) label() string {
	if in.Namespace == defaultNamespace {
		return in.ID
	}
	return in.Namespace + "/" + in.ID
}

// setCreate applies a create body to a new instance (token_id is resolved
// by the caller).
func (in *instance) setCreate(b generated.InstanceCreate) {
	if b.Type != nil {
		in.Type = *b.Type
	}
	if b.Chunk != nil {
		in.Chunk = *b.Chunk
	}
	if b.HybridSearchEnabled != nil {
		in.HybridSearchEnabled = *b.HybridSearchEnabled
	}
	in.setSettings(generated.InstanceSettings{
		AiGatewayID: b.AiGatewayID, AiSearchModel: b.AiSearchModel, Cache: b.Cache, CacheThreshold: b.CacheThreshold,
		CacheTTL: b.CacheTTL, ChunkOverlap: b.ChunkOverlap, ChunkSize: b.ChunkSize, CustomMetadata: b.CustomMetadata,
		EmbeddingModel: b.EmbeddingModel, FusionMethod: b.FusionMethod, IndexMethod: b.IndexMethod,
		IndexingOptions: b.IndexingOptions, MaxNumResults: b.MaxNumResults, Metadata: b.Metadata,
		PublicEndpointParams: b.PublicEndpointParams, Reranking: b.Reranking, RerankingModel: b.RerankingModel,
		RetrievalOptions: b.RetrievalOptions, RewriteModel: b.RewriteModel, RewriteQuery: b.RewriteQuery,
		ScoreThreshold: b.ScoreThreshold, Source: b.Source, SourceParams: b.SourceParams, SyncInterval: b.SyncInterval,
	})
}

// setUpdate applies an update body: only the fields it names change
// (public_endpoint_params is replaced whole, but custom_domains left out
// keeps the stored ones). A null in the body cannot be told from an absent
// field, so it changes nothing either. token_id is checked by the caller.
func (in *instance) setUpdate(b generated.InstanceUpdate) {
	set(&in.Chunk, b.Chunk)
	set(&in.Paused, b.Paused)
	set(&in.Summarization, b.Summarization)
	setPtr(&in.SummarizationModel, b.SummarizationModel)
	setPtr(&in.SystemPromptAiSearch, b.SystemPromptAiSearch)
	setPtr(&in.SystemPromptSummary, b.SystemPromptIndexSummarization)
	setPtr(&in.SystemPromptRewrite, b.SystemPromptRewriteQuery)
	pep := b.PublicEndpointParams
	if pep != nil && pep.CustomDomains == nil && in.PublicEndpointParams != nil && in.PublicEndpointParams.CustomDomains != nil {
		kept := *pep
		kept.CustomDomains = in.PublicEndpointParams.CustomDomains
		pep = &kept
	}
	in.setSettings(generated.InstanceSettings{
		AiGatewayID: b.AiGatewayID, AiSearchModel: b.AiSearchModel, Cache: b.Cache, CacheThreshold: b.CacheThreshold,
		CacheTTL: b.CacheTTL, ChunkOverlap: b.ChunkOverlap, ChunkSize: b.ChunkSize, CustomMetadata: b.CustomMetadata,
		EmbeddingModel: b.EmbeddingModel, FusionMethod: b.FusionMethod, IndexMethod: b.IndexMethod,
		IndexingOptions: b.IndexingOptions, MaxNumResults: b.MaxNumResults, Metadata: b.Metadata,
		PublicEndpointParams: pep, Reranking: b.Reranking, RerankingModel: b.RerankingModel,
		RetrievalOptions: b.RetrievalOptions, RewriteModel: b.RewriteModel, RewriteQuery: b.RewriteQuery,
		ScoreThreshold: b.ScoreThreshold, Source: b.Source, SourceParams: b.SourceParams, SyncInterval: b.SyncInterval,
	})
}

// setSettings applies the settings create and update share, those given.
func (in *instance) setSettings(b generated.InstanceSettings) {
	setPtr(&in.AiGatewayID, b.AiGatewayID)
	setPtr(&in.AiSearchModel, b.AiSearchModel)
	set(&in.Cache, b.Cache)
	set(&in.CacheThreshold, b.CacheThreshold)
	set(&in.CacheTTL, b.CacheTTL)
	set(&in.ChunkOverlap, b.ChunkOverlap)
	setPtr(&in.ChunkSize, b.ChunkSize)
	setPtr(&in.CustomMetadata, b.CustomMetadata)
	setPtr(&in.EmbeddingModel, b.EmbeddingModel)
	set(&in.FusionMethod, b.FusionMethod)
	set(&in.IndexMethod, b.IndexMethod)
	setPtr(&in.IndexingOptions, b.IndexingOptions)
	set(&in.MaxNumResults, b.MaxNumResults)
	setPtr(&in.Metadata, b.Metadata)
	setPtr(&in.PublicEndpointParams, b.PublicEndpointParams)
	set(&in.Reranking, b.Reranking)
	setPtr(&in.RerankingModel, b.RerankingModel)
	setPtr(&in.RetrievalOptions, b.RetrievalOptions)
	setPtr(&in.RewriteModel, b.RewriteModel)
	set(&in.RewriteQuery, b.RewriteQuery)
	set(&in.ScoreThreshold, b.ScoreThreshold)
	setPtr(&in.Source, b.Source)
	setPtr(&in.SourceParams, b.SourceParams)
	set(&in.SyncInterval, b.SyncInterval)
}

// set stores *v in *dst when the body gave it.
func set[T any](dst *T, v *T) {
	if v != nil {
		*dst = *v
	}
}

// setPtr stores a copy of the pointer v in *dst when the body gave it; the
// decoded body is the request's own, so sharing what it points to is safe
// (rows are never changed in place).
func setPtr[T any](dst **T, v *T) {
	if v != nil {
		*dst = v
	}
}

// instanceView is what an answer shows beside the stored row: the facts
// derived from the instance's jobs.
type instanceView struct {
	status       string
	lastActivity *time.Time
}

// api is the instance as create, get, update and delete answer it. The
// answer's schema has no chunk, summarization, summarization_model or
// system prompts: the list shows them.
func (in instance) api(v instanceView) generated.Instance {
	out := generated.Instance{
		ID: in.ID, CreatedAt: in.CreatedAt, ModifiedAt: in.ModifiedAt, Namespace: ptr(in.Namespace),
		Source: in.Source, SourceParams: in.SourceParams, AiGatewayID: in.AiGatewayID,
		AiSearchModel: in.AiSearchModel, RewriteModel: in.RewriteModel, EmbeddingModel: in.EmbeddingModel,
		RerankingModel: in.RerankingModel, Cache: ptr(in.Cache), CacheThreshold: ptr(in.CacheThreshold),
		CacheTTL: ptr(in.CacheTTL), ChunkSize: in.ChunkSize, ChunkOverlap: ptr(in.ChunkOverlap),
		MaxNumResults: ptr(in.MaxNumResults), ScoreThreshold: ptr(in.ScoreThreshold),
		Reranking: ptr(in.Reranking), RewriteQuery: ptr(in.RewriteQuery), FusionMethod: ptr(in.FusionMethod),
		IndexMethod: ptr(in.IndexMethod), IndexingOptions: in.IndexingOptions, RetrievalOptions: in.RetrievalOptions,
		CustomMetadata: in.CustomMetadata, Metadata: in.Metadata, PublicEndpointParams: in.PublicEndpointParams,
		SyncInterval: ptr(in.SyncInterval), HybridSearchEnabled: ptr(in.HybridSearchEnabled),
		Paused: ptr(in.Paused), Enable: ptr(in.Enable), EngineVersion: ptr(in.EngineVersion),
		Status: ptr(v.status), LastActivity: v.lastActivity,
	}
	if in.Type != "" {
		out.Type = ptr(in.Type)
	}
	if in.TokenID != "" {
		out.TokenID = ptr(in.TokenID)
	}
	return out
}

// listItem is the instance as a list shows it: every field, null where
// unset.
func (in instance) listItem(v instanceView) generated.InstanceListItem {
	out := generated.InstanceListItem{
		ID: in.ID, CreatedAt: in.CreatedAt, ModifiedAt: in.ModifiedAt, Namespace: in.Namespace,
		Source: in.Source, SourceParams: in.SourceParams, AiGatewayID: in.AiGatewayID,
		AiSearchModel: in.AiSearchModel, RewriteModel: in.RewriteModel, SummarizationModel: in.SummarizationModel,
		EmbeddingModel: in.EmbeddingModel, RerankingModel: in.RerankingModel,
		Cache: in.Cache, CacheThreshold: ptr(in.CacheThreshold), CacheTTL: in.CacheTTL,
		Chunk: in.Chunk, ChunkSize: in.ChunkSize, ChunkOverlap: ptr(in.ChunkOverlap),
		MaxNumResults: ptr(in.MaxNumResults), ScoreThreshold: ptr(in.ScoreThreshold),
		Reranking: in.Reranking, RewriteQuery: in.RewriteQuery, Summarization: in.Summarization,
		SystemPromptAiSearch: in.SystemPromptAiSearch, SystemPromptIndexSummarization: in.SystemPromptSummary,
		SystemPromptRewriteQuery: in.SystemPromptRewrite, FusionMethod: in.FusionMethod, IndexMethod: in.IndexMethod,
		IndexingOptions: in.IndexingOptions, RetrievalOptions: in.RetrievalOptions, CustomMetadata: in.CustomMetadata,
		Metadata: in.Metadata, PublicEndpointParams: in.PublicEndpointParams, SyncInterval: in.SyncInterval,
		HybridSearchEnabled: in.HybridSearchEnabled, Paused: in.Paused, Enable: in.Enable,
		EngineVersion: in.EngineVersion, Status: v.status, LastActivity: v.lastActivity,
	}
	if in.Type != "" {
		out.Type = ptr(in.Type)
	}
	if in.TokenID != "" {
		out.TokenID = ptr(in.TokenID)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// markInUse makes names exactly the instances of the account's default
// namespace whose token_id is registrationID: a named instance is created
// (at now, built-in storage, default settings) or pointed at it, and one
// that used it without being named is deleted, with its jobs.
func (s *store) markInUse(tx *tx, account, registrationID string, names []string, now time.Time) error {
	if _, ok := s.registrations.get(tx, account, registrationID); !ok {
		return ErrNotFound
	}
	for _, in := range s.instances.list(tx, account) {
		if in.Namespace == defaultNamespace && in.TokenID == registrationID && !slices.Contains(names, in.ID) {
			s.removeInstance(tx, in)
		}
	}
	for _, name := range names {
		in, ok := s.getInstance(tx, account, defaultNamespace, name)
		if !ok {
			in = newInstance(account, defaultNamespace, name, now)
		}
		in.TokenID = registrationID
		s.instances.put(tx, in)
	}
	return nil
}

func checkInstanceNames(names []string) error {
	for _, n := range names {
		if !validInstanceID(n) {
			return fmt.Errorf("%w: instance id %q: 1 to 64 of a-z, 0-9, '-' and '_'", ErrInvalid, n)
		}
	}
	return nil
}

// MarkInUse makes instances exactly the AI Search instances (in namespace
// default) that use a registration, as an instance's token_id does: it
// creates each named instance that does not exist (built-in storage,
// default settings), points it at tokenID, and deletes the instances that
// used tokenID but are not named. While any instance uses it, deleting the
// registration gets 409; no instances releases it. Instance ids are 1 to
// 64 of a-z, 0-9, '-' and '_'.
func (s *Server) MarkInUse(accountID, tokenID string, instances ...string) error {
	err := checkInstanceNames(instances)
	if err == nil {
		now := s.seedTime(time.Time{})
		err = s.store.update(func(tx *tx) error { return s.store.markInUse(tx, accountID, tokenID, instances, now) })
	}
	if err != nil {
		return fmt.Errorf("emulator: MarkInUse %s: %w", tokenID, err)
	}
	return nil
}

// Instance is a stored AI Search instance as tests inspect it.
type Instance struct {
	AccountID string
	Namespace string
	ID        string
	Type      string // "r2", "web-crawler", or "" for built-in storage
	TokenID   string // the registration it uses, "" for none
	Status    string // StatusWaiting, StatusActive or StatusError (derived from its jobs)
	CreatedAt time.Time
	// Fields is every field, as the instance list answers it.
	Fields generated.InstanceListItem
}

// Instances returns the account's instances, every namespace, in creation
// order (a move puts an instance last); empty, not nil, for none.
func (s *Server) Instances(accountID string) []Instance {
	out := []Instance{}
	now := s.cfg.clock()
	s.store.view(func(tx *tx) {
		for _, in := range s.store.instances.rows(tx, accountID) {
			out = append(out, s.store.inspectInstance(tx, in, now))
		}
	})
	return out
}

func (s *store) inspectInstance(tx *tx, in instance, now time.Time) Instance {
	v := s.instanceView(tx, in, now)
	return Instance{
		AccountID: in.Account, Namespace: in.Namespace, ID: in.ID, Type: string(in.Type), TokenID: in.TokenID,
		Status: v.status, CreatedAt: in.CreatedAt, Fields: in.listItem(v),
	}
}
