"""`rasci lsp` driven by a real language client (pytest-lsp, on pygls) over standard input
and output, on a copy of the example project: open, edit, diagnostics, definition,
references, completion, hover, rename and shutdown.

Run by `.ci/run`; by hand:
    RASCI_BIN=target/debug/rasci python -m pytest tests/lsp
"""

import os
import pathlib
import shutil

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient, client_capabilities

REPO = pathlib.Path(__file__).resolve().parents[2]
BINARY = os.environ.get("RASCI_BIN", str(REPO / "target" / "debug" / "rasci"))


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    """A copy of the example project: the server is given its folder."""
    root = tmp_path_factory.mktemp("example") / "project"
    root.mkdir()
    shutil.copy(REPO / "rasci.yaml", root / "rasci.yaml")
    for folder in ("data", "content"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[BINARY, "lsp"]))
async def client(lsp_client: LanguageClient, project):
    await lsp_client.initialize_session(
        types.InitializeParams(
            capabilities=client_capabilities("visual-studio-code"),
            workspace_folders=[
                types.WorkspaceFolder(uri=project.as_uri(), name="example")
            ],
        )
    )
    yield
    await lsp_client.shutdown_session()


def position_of(text: str, line_holding: str, word: str) -> types.Position:
    """The position of `word` on the first line that holds `line_holding`."""
    for number, line in enumerate(text.splitlines()):
        if line_holding in line:
            return types.Position(line=number, character=line.index(word))
    raise AssertionError(f"no line holds {line_holding!r}")


def open_file(client: LanguageClient, path: pathlib.Path) -> str:
    text = path.read_text()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=path.as_uri(), language_id="yaml", version=1, text=text
            )
        )
    )
    return text


def change(client: LanguageClient, path: pathlib.Path, version: int, text: str):
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(
                uri=path.as_uri(), version=version
            ),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


async def settle(client: LanguageClient):
    """The server answers in order: once this is answered, every edit before it was checked."""
    await client.workspace_symbol_async(types.WorkspaceSymbolParams(query="\u0001"))


@pytest.mark.asyncio
async def test_diagnostics_follow_the_unsaved_text(client: LanguageClient, project):
    tasks = project / "data" / "tasks.yaml"
    text = open_file(client, tasks)
    await settle(client)
    assert [d.code for d in client.diagnostics.get(tasks.as_uri(), [])] == [
        "rasci/responsible-and-supportive"
    ]

    misspelt = text.replace('rasci: { customer: "A, R" }', 'rasci: { custmer: "A, R" }', 1)
    change(client, tasks, 2, misspelt)
    await settle(client)
    found = client.diagnostics[tasks.as_uri()]
    unknown = [d for d in found if d.code == "ref/unknown-party"]
    assert len(unknown) == 1
    assert unknown[0].severity == types.DiagnosticSeverity.Error
    assert unknown[0].range.start == position_of(misspelt, "custmer", "custmer")
    assert "did you mean `customer`?" in unknown[0].message

    change(client, tasks, 3, text)
    await settle(client)
    assert [d.code for d in client.diagnostics[tasks.as_uri()]] == [
        "rasci/responsible-and-supportive"
    ]
    assert tasks.read_text() == text, "the server wrote to disk"


@pytest.mark.asyncio
async def test_definition_references_and_hover(client: LanguageClient, project):
    tasks = project / "data" / "tasks.yaml"
    parties = project / "data" / "parties.yaml"
    text = open_file(client, tasks)
    at = position_of(text, 'rasci: { customer: "A, R" }', "customer")
    where = types.TextDocumentIdentifier(uri=tasks.as_uri())

    definition = await client.text_document_definition_async(
        types.DefinitionParams(text_document=where, position=at)
    )
    assert [d.uri for d in definition] == [parties.as_uri()]
    assert definition[0].range.start == position_of(
        parties.read_text(), "id: customer", "customer"
    )

    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=where,
            position=at,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    assert len(references) > 10
    assert all(r.uri.endswith(".yaml") or r.uri.endswith(".md") for r in references)

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=where, position=at)
    )
    assert hover.contents.value.startswith("**party** `customer`: Customer")
    assert "its own support staff" in hover.contents.value


@pytest.mark.asyncio
async def test_completion_of_parties_and_letters(client: LanguageClient, project):
    tasks = project / "data" / "tasks.yaml"
    text = open_file(client, tasks)
    edited = text.replace(
        'rasci: { customer: "A, R" }', "rasci:\n          customer: \n          ", 1
    )
    change(client, tasks, 2, edited)
    await settle(client)
    line = position_of(edited, "          customer: ", "customer").line
    letters = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=tasks.as_uri()),
            position=types.Position(line=line, character=20),
        )
    )
    assert [item.label for item in letters] == ["R", "A", "S", "C", "I"]
    parties = await client.text_document_completion_async(
        types.CompletionParams(
            text_document=types.TextDocumentIdentifier(uri=tasks.as_uri()),
            position=types.Position(line=line + 1, character=10),
        )
    )
    assert [item.label for item in parties] == ["anywhere365", "customer", "end-users"]


@pytest.mark.asyncio
async def test_rename_is_one_workspace_edit(client: LanguageClient, project):
    parties = project / "data" / "parties.yaml"
    text = open_file(client, parties)
    at = position_of(text, "id: end-users", "end-users")
    edit = await client.text_document_rename_async(
        types.RenameParams(
            text_document=types.TextDocumentIdentifier(uri=parties.as_uri()),
            position=at,
            new_name="members",
        )
    )
    files = sorted(pathlib.Path(uri).name for uri in edit.changes)
    assert "parties.yaml" in files and "tasks.yaml" in files
    assert all(e.new_text == "members" for edits in edit.changes.values() for e in edits)
    assert "id: members" not in parties.read_text(), "the server wrote to disk"

    with pytest.raises(Exception, match="already a party `customer`"):
        await client.text_document_rename_async(
            types.RenameParams(
                text_document=types.TextDocumentIdentifier(uri=parties.as_uri()),
                position=at,
                new_name="customer",
            )
        )


@pytest.mark.asyncio
async def test_glossary_terms_in_page_text(client: LanguageClient, project):
    page = project / "content" / "submission-guidelines.md"
    glossary = project / "data" / "glossary.yaml"
    text = open_file(client, page)
    edited = text.replace(
        "first saves time for everyone,",
        "first ([what a tenant is](../glossary/#term-tenant)) saves time for everyone,",
        1,
    )
    change(client, page, 2, edited)
    await settle(client)
    where = types.TextDocumentIdentifier(uri=page.as_uri())
    entry = position_of(glossary.read_text(), "term: tenant", "tenant")

    # The term in the text, as the site marks it, and the link to its entry.
    in_text = position_of(edited, "tenant, in the telephony path", "tenant")
    anchor = position_of(edited, "#term-tenant", "tenant))")
    for at in (in_text, anchor):
        definition = await client.text_document_definition_async(
            types.DefinitionParams(text_document=where, position=at)
        )
        assert [d.uri for d in definition] == [glossary.as_uri()]
        assert definition[0].range.start == entry

    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=where, position=in_text)
    )
    assert hover.contents.value.startswith("**glossary term** tenant: ")

    references = await client.text_document_references_async(
        types.ReferenceParams(
            text_document=types.TextDocumentIdentifier(uri=glossary.as_uri()),
            position=entry,
            context=types.ReferenceContext(include_declaration=False),
        )
    )
    on_page = [r.range.start for r in references if r.uri == page.as_uri()]
    assert in_text in on_page and anchor in on_page
    # Not in the link's text: the site does not mark it there.
    assert position_of(edited, "[what a tenant is]", "tenant") not in on_page
