"""boto3 sessions for the clients of one run (aws.py): one per profile, and one per assumed
role of an organization scope (--org-role), its credentials renewed by botocore before expiry."""

import os
import threading

import boto3
import botocore.exceptions as bex

from apigw_stage.sources.aws_errors import translate


class Sessions:
    """One boto3 session per profile for the clients of one run (a fleet scan opens two clients per
    region): the service model is loaded and the profile's credentials resolved (a credential_process
    run, an AssumeRole) once, not once per client. Making a client from a shared session is not
    thread-safe in botocore, hence the lock; the clients themselves are."""

    def __init__(self):
        self._sessions: dict = {}
        self.lock = threading.RLock()  # re-entered by an assumed role's STS client creation

    def assume(self, profile: str | None, role, where: str = "") -> None:
        """Assume `role` now (one AssumeRole, outside the lock so accounts assume in parallel);
        our typed error when it cannot be (an AuthError naming the role and the service's reason)."""
        try:
            with self.lock:
                key = (profile, role)
                if key not in self._sessions:
                    self._sessions[key] = _assumed(self.get(profile), role, self.lock, resolve=False)
                session = self._sessions[key]
            session.get_credentials().get_frozen_credentials()
        except (bex.BotoCoreError, bex.ClientError) as exc:
            error = translate(exc, where or f"role {role.arn}", 1, "STS")
            raise type(error)(f"role {role.arn} could not be assumed: {error.message}") from None

    def drop(self, profile: str | None, role) -> None:
        """Forget an account's session once its scan is done: memory stays flat in the accounts."""
        with self.lock:
            self._sessions.pop((profile, role), None)

    def get(self, profile: str | None, role=None):
        """The profile's session, its credentials resolved; call with `lock` held. With `role`
        (core/target.Role), a session of its own whose credentials come from AssumeRole with the
        profile's: botocore's refreshable credentials renew them before they expire (15 minutes
        ahead, at the latest 10), so a scan longer than the role's hour keeps working."""
        if role is not None:
            key = (profile, role)
            if key not in self._sessions:
                self._sessions[key] = _assumed(self.get(profile), role, self.lock)
            return self._sessions[key]
        if profile not in self._sessions:
            session = _new_session(profile, os.environ.get("AWS_REGION") or None)
            # Resolved now, before any regional client: botocore sends an assumed role's (or web
            # identity's) STS call to the region of the client made last before the credentials
            # were first asked for, which would be whichever cell came first (af-south-1 with
            # --all-regions, an opt-in region). Now they go where the profile says, as the AWS
            # CLI's would; and no refresh makes clients outside the lock.
            credentials = session.get_credentials()
            if credentials is not None:
                credentials.get_frozen_credentials()
            self._sessions[profile] = session
        return self._sessions[profile]


def _assumed(base, role, lock=None, resolve: bool = True):
    """A boto3 session over `base`'s config whose credentials are `role`'s, assumed now unless
    not `resolve` (a role that cannot be assumed fails once, not on every call). `lock` guards
    the STS client made from the shared `base` on every renewal (not thread-safe in botocore)."""
    import botocore.session
    from botocore.credentials import AssumeRoleCredentialFetcher, DeferredRefreshableCredentials

    extra = {"RoleSessionName": role.session_name}
    if role.external_id:
        extra["ExternalId"] = role.external_id
    def creator(*args, **kwargs):
        if lock is None:
            return base._session.create_client(*args, **kwargs)
        with lock:
            return base._session.create_client(*args, **kwargs)

    source = base.get_credentials()
    if source is None:
        raise bex.NoCredentialsError()
    fetcher = AssumeRoleCredentialFetcher(creator, source, role.arn, extra_args=extra)
    core = botocore.session.Session(profile=base.profile_name if base.profile_name != "default" else None)
    core._credentials = DeferredRefreshableCredentials(fetcher.fetch_credentials, "assume-role")
    # The service models read once for the run, not once per account: the base session's loader
    # caches what it has read (bench/org.py: half the CPU per call of an organization scan).
    core.register_component("data_loader", base._session.get_component("data_loader"))
    session = _new_session(None, base.region_name, core)
    if resolve:
        session.get_credentials().get_frozen_credentials()
    return session


def _new_session(profile: str | None, region: str | None, core=None):
    if core is not None:
        session = boto3.session.Session(region_name=region, botocore_session=core)
    else:
        session = boto3.session.Session(profile_name=profile, region_name=region)
    # Timestamps as sent (epoch seconds, or ISO 8601 for v2): model/shape.py reads them into aware UTC
    # datetimes and names a bad one, where botocore's parser would crash on it.
    session._session.get_component("response_parser_factory").set_parser_defaults(timestamp_parser=_as_sent)
    return session


def _as_sent(value):
    return value
