package emulator

import (
	"context"
	"errors"

	"github.com/go-aisearch/tokens/generated"
)

// errNotImplemented: the Cloudflare API token operations are in openapi.yaml
// but not served yet (a 500 until the emulator implements them).
var errNotImplemented = errors.New("emulator: Cloudflare API token operations are not implemented yet")

func (h *handlers) ListUserAPITokens(context.Context, generated.ListUserAPITokensRequestObject) (generated.ListUserAPITokensResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) CreateUserAPIToken(context.Context, generated.CreateUserAPITokenRequestObject) (generated.CreateUserAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) ListUserPermissionGroups(context.Context, generated.ListUserPermissionGroupsRequestObject) (generated.ListUserPermissionGroupsResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) VerifyUserAPIToken(context.Context, generated.VerifyUserAPITokenRequestObject) (generated.VerifyUserAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) GetUserAPIToken(context.Context, generated.GetUserAPITokenRequestObject) (generated.GetUserAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) UpdateUserAPIToken(context.Context, generated.UpdateUserAPITokenRequestObject) (generated.UpdateUserAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) DeleteUserAPIToken(context.Context, generated.DeleteUserAPITokenRequestObject) (generated.DeleteUserAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) RollUserAPIToken(context.Context, generated.RollUserAPITokenRequestObject) (generated.RollUserAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) ListAccountAPITokens(context.Context, generated.ListAccountAPITokensRequestObject) (generated.ListAccountAPITokensResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) CreateAccountAPIToken(context.Context, generated.CreateAccountAPITokenRequestObject) (generated.CreateAccountAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) ListAccountPermissionGroups(context.Context, generated.ListAccountPermissionGroupsRequestObject) (generated.ListAccountPermissionGroupsResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) VerifyAccountAPIToken(context.Context, generated.VerifyAccountAPITokenRequestObject) (generated.VerifyAccountAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) GetAccountAPIToken(context.Context, generated.GetAccountAPITokenRequestObject) (generated.GetAccountAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) UpdateAccountAPIToken(context.Context, generated.UpdateAccountAPITokenRequestObject) (generated.UpdateAccountAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) DeleteAccountAPIToken(context.Context, generated.DeleteAccountAPITokenRequestObject) (generated.DeleteAccountAPITokenResponseObject, error) {
	return nil, errNotImplemented
}

func (h *handlers) RollAccountAPIToken(context.Context, generated.RollAccountAPITokenRequestObject) (generated.RollAccountAPITokenResponseObject, error) {
	return nil, errNotImplemented
}
