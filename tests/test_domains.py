"""`stage domains` (issue 24, items 1 and 3) and show's custom-domain URLs (item 2): every call in
its wire format (tests/stubwire.py; shapes from botocore's models and the AWS CLI's examples
awscli/examples/apigateway/get-domain-names.rst, get-base-path-mappings.rst,
apigatewayv2/get-domain-names.rst, get-api-mappings.rst), moto for the real HTTP path, the
domain checks with their fixes parsed by the AWS CLI, hostile text, TAB from the cache."""

import json
import shlex
import time

import pytest
import yaml

from tests.fidelity import aws_cli_parses, joined
from tests.stubwire import StubWire, denied

REST_ID, HTTP_ID, GONE_ID = "r3st4p1abc", "h77p4p1abc", "g0n3ap1abc"
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/fb1b9770-a305-495d-aefb-27e5e101ff3"
EDGE_CERT = "arn:aws:acm:us-east-1:123456789012:certificate/edge-0001"
HOSTILE = "evil\x1b[31m[bold]red[/bold]\u202e"
DAY = 86400


def rest_domain(name, policy="TLS_1_2", **more):
    # awscli/examples/apigateway/get-domain-names.rst, Example 2 (epoch seconds on the wire).
    return {"domainName": name, "certificateUploadDate": 1723766575,
            "regionalDomainName": "d-abcd1234.execute-api.us-east-1.amazonaws.com",
            "regionalHostedZoneId": "Z1UJRXOUMOOFQ8", "regionalCertificateArn": CERT,
            "endpointConfiguration": {"types": ["REGIONAL"]}, "domainNameStatus": "AVAILABLE",
            "securityPolicy": policy, **more}


def v2_domain(name, policy="TLS_1_2", **more):
    # awscli/examples/apigatewayv2/get-domain-names.rst, in the wire's camelCase.
    return {"apiMappingSelectionExpression": "$request.basepath", "domainName": name,
            "domainNameConfigurations": [{"apiGatewayDomainName": "d-1234.execute-api.us-east-1.amazonaws.com",
                                          "certificateArn": CERT, "endpointType": "REGIONAL",
                                          "hostedZoneId": "123456789111", "securityPolicy": policy,
                                          "domainNameStatus": "AVAILABLE"}], **more}


@pytest.fixture
def stub(monkeypatch):
    with StubWire() as server:
        server.answers.update({
            "/domainnames?limit=500": {"item": [rest_domain("api.example.com", "TLS_1_0",
                                                            mutualTlsAuthentication={"truststoreUri": "s3://trust/store.pem",
                                                                                     "truststoreVersion": "v7"})],
                                       "position": "p2"},
            "/domainnames?limit=500&position=p2": {"item": [
                {"domainName": "edge.example.com", "certificateArn": EDGE_CERT, "certificateName": HOSTILE,
                 "distributionDomainName": "d9511k3l09bkd.cloudfront.net", "certificateUploadDate": 1452812505,
                 "endpointConfiguration": {"types": ["EDGE"]}, "securityPolicy": "TLS_1_2"}]},
            "/domainnames/api.example.com/basepathmappings?limit=500": {"item": [
                {"basePath": "(none)", "restApiId": REST_ID, "stage": "prod"},
                {"basePath": "v1", "restApiId": REST_ID, "stage": "api"},
                {"basePath": "old", "restApiId": GONE_ID, "stage": "prod"}]},
            "/domainnames/edge.example.com/basepathmappings?limit=500": {"item": [
                {"basePath": "(none)", "restApiId": REST_ID, "stage": "prod"}]},
            "/v2/domainnames": {"items": [v2_domain("api.example.com")], "nextToken": "t2"},
            "/v2/domainnames?nextToken=t2": {"items": [v2_domain("http.example.com")]},
            # A domain both families list is one domain; its REST mapping comes back here too.
            "/v2/domainnames/api.example.com/apimappings": {"items": [
                {"apiId": REST_ID, "apiMappingId": "m0", "apiMappingKey": "", "stage": "prod"}]},
            "/v2/domainnames/http.example.com/apimappings": {"items": [
                {"apiId": HTTP_ID, "apiMappingId": "m1", "apiMappingKey": "", "stage": "$default"},
                {"apiId": HTTP_ID, "apiMappingId": "m2", "apiMappingKey": "beta", "stage": "beta"}]},
            "/restapis?limit=500": {"item": [{"id": REST_ID, "name": HOSTILE}]},
            "/v2/apis": {"items": [{"apiId": HTTP_ID, "name": "pets", "protocolType": "HTTP"}]},
            f"/restapis/{REST_ID}/stages": {"item": [{"stageName": "prod", "deploymentId": "d1"},
                                                     {"stageName": "api", "deploymentId": "d1"}]},
            f"/v2/apis/{HTTP_ID}/stages": {"items": [{"stageName": "$default", "deploymentId": "x"}]},
        })
        server.certificates[CERT] = {"CertificateArn": CERT, "NotAfter": time.time() + 10 * DAY + 3600}
        server.certificates[EDGE_CERT] = {"CertificateArn": EDGE_CERT, "NotAfter": time.time() + 400 * DAY}
        monkeypatch.setenv("AWS_ENDPOINT_URL", server.url)
        yield server


def test_every_call_in_its_wire_format_and_the_map_of_urls(invoke, stub):
    result = invoke("domains", "-o", "json")
    assert (result.exit_code, result.stderr) == (0, "")
    data = json.loads(result.stdout)
    assert stub.paths() == [
        "/domainnames?limit=500", "/domainnames?limit=500&position=p2", "/v2/domainnames", "/v2/domainnames?nextToken=t2",
        "/domainnames/api.example.com/basepathmappings?limit=500", "/domainnames/edge.example.com/basepathmappings?limit=500",
        "/v2/domainnames/api.example.com/apimappings", "/v2/domainnames/http.example.com/apimappings",
        "/restapis?limit=500", "/v2/apis", f"/v2/apis/{HTTP_ID}/stages", f"/restapis/{REST_ID}/stages"]  # by API id
    # One ACM DescribeCertificate (JSON 1.1, botocore's acm model) per certificate.
    assert sorted(stub.posts, key=str) == [("CertificateManager.DescribeCertificate", {"CertificateArn": EDGE_CERT}),
                                           ("CertificateManager.DescribeCertificate", {"CertificateArn": CERT})]
    by_name = {d["domainName"]: d for d in data["domains"]}
    assert list(by_name) == ["api.example.com", "edge.example.com", "http.example.com"]
    api = by_name["api.example.com"]
    assert api["listedBy"] == ["apigateway", "apigatewayv2"]
    assert (api["endpointType"], api["securityPolicy"], api["certificateArn"]) == ("REGIONAL", "TLS_1_0", CERT)
    assert api["certificateDaysLeft"] == 10 and api["certificateNotAfter"].endswith("Z")
    assert api["mutualTls"] == {"truststoreUri": "s3://trust/store.pem", "truststoreVersion": "v7"}
    assert [(m["url"], m["apiId"], m["stage"], m["problem"]) for m in api["mappings"]] == [
        ("https://api.example.com/", REST_ID, "prod", None),  # (none) and "" are one mapping
        ("https://api.example.com/old", GONE_ID, "prod", "missing API"),
        ("https://api.example.com/v1", REST_ID, "api", None)]
    assert api["mappings"][0]["apiName"] == HOSTILE  # exact in json
    assert by_name["edge.example.com"]["endpointType"] == "EDGE"
    assert by_name["edge.example.com"]["certificateArn"] == EDGE_CERT
    http = by_name["http.example.com"]
    assert [(m["url"], m["protocol"], m["stage"], m["problem"]) for m in http["mappings"]] == [
        ("https://http.example.com/", "HTTP", "$default", None),
        ("https://http.example.com/beta", "HTTP", "beta", "missing stage")]
    found = {(f["id"], f["domainName"], f["status"]) for f in data["findings"]}
    assert found == {("DOMAIN.1", "api.example.com", "fail"), ("DOMAIN.2", "api.example.com", "warn"),
                     ("DOMAIN.2", "http.example.com", "warn"),  # the same certificate
                     ("DOMAIN.3", "api.example.com", "fail"), ("DOMAIN.3", "http.example.com", "fail")}
    assert data["notRead"] == []


def test_fixes_are_aws_cli_commands(invoke, stub):
    data = json.loads(invoke("domains", "-o", "json").stdout)
    fixes = {(f["id"], f["domainName"], f["where"]): aws_cli_parses(shlex.join(f["fixCommand"])) for f in data["findings"]}
    assert fixes[("DOMAIN.1", "api.example.com", "domain")] == {"domainName": "api.example.com", "patchOperations": [
        {"op": "replace", "path": "/securityPolicy", "value": "TLS_1_2"}]}
    # http.example.com is listed by apigatewayv2 only: its fix sends the whole configuration.
    assert fixes[("DOMAIN.2", "http.example.com", "certificate")]["DomainNameConfigurations"] == [
        {"CertificateArn": "NEW_CERTIFICATE_ARN", "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}]
    assert fixes[("DOMAIN.2", "api.example.com", "certificate")]["patchOperations"] == [
        {"op": "replace", "path": "/regionalCertificateArn", "value": "NEW_CERTIFICATE_ARN"}]
    assert fixes[("DOMAIN.3", "api.example.com", "https://api.example.com/old")] == {"domainName": "api.example.com", "basePath": "old"}
    assert fixes[("DOMAIN.3", "http.example.com", "https://http.example.com/beta")] == {"DomainName": "http.example.com", "ApiMappingId": "m2"}


def test_table_at_80_columns_escapes_service_text_and_pastes_the_fixes(invoke, stub):
    result = invoke("domains", "--no-color", env={"COLUMNS": "80"})
    assert (result.exit_code, result.stderr) == (0, "")
    out = result.stdout
    # A fix word wider than the terminal stays whole on a line of its own (render/findings.py).
    assert all(len(line) <= 80 or len(line.split()) == 1 for line in out.splitlines())
    assert "\x1b" not in out and "\u202e" not in out and "evil\\e[31m[bold]red[/bold]\\u202e" in out
    for identifier in ("https://api.example.com/v1", "https://http.example.com/beta", REST_ID, "missing stage",
                       "s3://trust/store.pem", "expires in 10"):
        assert identifier in out
    commands = joined(out[out.index("To fix"):])
    assert len(commands) == 5
    for command in commands:
        aws_cli_parses(command)


def test_check_exits_1_on_a_failure_and_yaml_keeps_text(invoke, stub):
    assert invoke("domains", "--check", "-o", "json").exit_code == 1
    result = invoke("domains", "-o", "yaml")
    assert result.exit_code == 0
    assert yaml.safe_load(result.stdout)["domains"][0]["mappings"][0]["apiName"] == HOSTILE


def test_a_private_domain_is_asked_by_its_name_and_id(invoke, stub):
    private = {"domainName": "my.private.domain.tld", "domainNameId": "abcd1234", "certificateArn": CERT,
               "endpointConfiguration": {"types": ["PRIVATE"]}, "securityPolicy": "TLS_1_2"}
    stub.answers["/domainnames?limit=500&position=p2"] = {"item": [private]}
    stub.answers["/domainnames/my.private.domain.tld/basepathmappings?limit=500&domainNameId=abcd1234"] = {"item": [
        {"basePath": "(none)", "restApiId": REST_ID, "stage": "prod"}]}
    data = json.loads(invoke("domains", "my.private.domain.tld", "-o", "json").stdout)
    [entry] = data["domains"]
    assert entry["endpointType"] == "PRIVATE" and entry["mappings"][0]["url"] == "https://my.private.domain.tld/"


def test_no_domains_at_all(invoke, stub):
    stub.answers["/domainnames?limit=500"] = {"item": []}
    stub.answers["/v2/domainnames"] = {"items": []}
    result = invoke("domains", "-o", "json")
    assert result.exit_code == 0 and json.loads(result.stdout) == {"domains": [], "findings": [], "notRead": []}
    table = invoke("domains", "--no-color")
    assert table.exit_code == 0 and "No custom domain names here." in table.stdout


def test_one_domain_and_a_domain_not_there(invoke, stub):
    result = invoke("domains", "HTTP.example.com", "-o", "json")
    assert result.exit_code == 0
    assert [d["domainName"] for d in json.loads(result.stdout)["domains"]] == ["http.example.com"]
    missing = invoke("domains", "nope.example.com")
    assert (missing.exit_code, missing.stdout) == (3, "")
    assert missing.stderr == "stage: error: no custom domain 'nope.example.com' in us-east-1 (`stage domains` lists them)\n"
    bad = invoke("domains", "a b")
    assert (bad.exit_code, bad.stdout) == (2, "") and bad.stderr.count("\n") == 1


def test_acm_that_does_not_answer_leaves_the_expiry_unknown(invoke, stub):
    stub.certificates[CERT] = denied()
    data = json.loads(invoke("domains", "-o", "json").stdout)
    api = data["domains"][0]
    assert api["certificateDaysLeft"] is None and "not authorized" in api["certificateNote"]
    assert "DOMAIN.2" not in {f["id"] for f in data["findings"]}


def test_a_family_denied_is_named_and_the_scan_is_incomplete(invoke, stub):
    stub.answers["/v2/domainnames"] = denied()
    result = invoke("domains", "-o", "json")
    assert result.exit_code == 8
    data = json.loads(result.stdout)
    assert [d["domainName"] for d in data["domains"]] == ["api.example.com", "edge.example.com"]
    assert "apigatewayv2 GetDomainNames" in data["notRead"][0]["what"]


def test_both_families_denied_is_exit_4_one_line(invoke, stub):
    stub.answers["/v2/domainnames"] = denied()
    stub.answers["/domainnames"] = denied()
    stub.answers.pop("/domainnames?limit=500")
    result = invoke("domains")
    assert (result.exit_code, result.stdout) == (4, "") and result.stderr.count("\n") == 1


def test_show_lists_the_custom_domain_urls_beside_the_invoke_url(invoke, stub):
    from tests.docs import wire_stage

    stub.answers[f"/restapis/{REST_ID}/stages/prod"] = wire_stage()
    result = invoke("show", REST_ID, "prod", "--no-color", env={"COLUMNS": "100"})
    assert (result.exit_code, result.stderr) == (0, "")
    tail = result.stdout[result.stdout.index("Invoke URL"):]
    assert f"https://{REST_ID}.execute-api.us-east-1.amazonaws.com/prod" in tail
    assert "https://api.example.com/" in tail and "https://edge.example.com/" in tail
    assert "/v1" not in tail  # that mapping reaches stage api
    before = len(stub.requests)
    assert json.loads(invoke("show", REST_ID, "prod", "-o", "json").stdout)["stageName"] == "prod"
    assert stub.requests[before:] == [("GET", f"/restapis/{REST_ID}/stages/prod")]  # json: no domain calls


def test_tab_offers_domain_names_from_the_cache(invoke, stub, monkeypatch):
    from apigw_stage.completion import fast

    assert invoke("domains", "-o", "json").exit_code == 0
    monkeypatch.setenv("AWS_ENDPOINT_URL", stub.url)
    stub.requests.clear()
    assert fast.candidates(["domains"], "ht") == [["http.example.com", ""]]
    assert stub.requests == []  # from the cache `stage domains` wrote


def test_moto_domains_mappings_and_certificate(invoke, moto_server, monkeypatch):
    import boto3

    monkeypatch.setenv("AWS_ENDPOINT_URL", moto_server)
    kw = dict(endpoint_url=moto_server, region_name="eu-north-1")
    rest, v2, acm = (boto3.client(s, **kw) for s in ("apigateway", "apigatewayv2", "acm"))
    arn = acm.request_certificate(DomainName="shop.example.org")["CertificateArn"]
    api = rest.create_rest_api(name="shop")["id"]
    root = rest.get_resources(restApiId=api)["items"][0]["id"]
    rest.put_method(restApiId=api, resourceId=root, httpMethod="GET", authorizationType="NONE")
    rest.put_integration(restApiId=api, resourceId=root, httpMethod="GET", type="MOCK")
    rest.create_deployment(restApiId=api, stageName="live")
    rest.create_domain_name(domainName="shop.example.org", regionalCertificateArn=arn,
                            endpointConfiguration={"types": ["REGIONAL"]}, securityPolicy="TLS_1_2")
    rest.create_base_path_mapping(domainName="shop.example.org", restApiId=api, stage="live", basePath="v2")
    http = v2.create_api(Name="shop-http", ProtocolType="HTTP")["ApiId"]
    v2.create_domain_name(DomainName="h.example.org", DomainNameConfigurations=[
        {"CertificateArn": arn, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_0"}])
    v2.create_api_mapping(DomainName="h.example.org", ApiId=http, Stage="gone", ApiMappingKey="")
    result = invoke("domains", "--region", "eu-north-1", "-o", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    urls = {m["url"]: (m["apiName"], m["stage"], m["problem"]) for d in data["domains"] for m in d["mappings"]}
    assert urls == {"https://shop.example.org/v2": ("shop", "live", None),
                    "https://h.example.org/": ("shop-http", "gone", "missing stage")}
    assert all(d["certificateDaysLeft"] is not None for d in data["domains"])
    assert {(f["id"], f["domainName"]) for f in data["findings"]} == {("DOMAIN.1", "h.example.org"),
                                                                      ("DOMAIN.3", "h.example.org")}
    fix = next(f for f in data["findings"] if f["id"] == "DOMAIN.1")["fixCommand"]
    assert aws_cli_parses(shlex.join(fix))["DomainNameConfigurations"] == [
        {"CertificateArn": arn, "EndpointType": "REGIONAL", "SecurityPolicy": "TLS_1_2"}]
