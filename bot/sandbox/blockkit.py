"""Block Kit validation with Slack's limits, for the sandbox emulator (and the elements of a block and the
options of an element, as the emulator, the driver and the renderer read them).

Each function returns a list of error strings shaped like Slack's
(``"<problem> [json-pointer:/blocks/0/text]"``); an empty list means Slack would accept the payload.
The limits are the ones in SLACK-FACTS.md.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

MESSAGE_MAX_BLOCKS = 50
VIEW_MAX_BLOCKS = 100
MESSAGE_TEXT_MAX = 40_000

VIEW_TITLE_MAX = 24
VIEW_BUTTON_MAX = 24
PRIVATE_METADATA_MAX = 3_000
CALLBACK_ID_MAX = 255
EXTERNAL_ID_MAX = 255

SECTION_TEXT_MAX = 3_000
SECTION_FIELDS_MAX = 10
SECTION_FIELD_TEXT_MAX = 2_000
HEADER_TEXT_MAX = 150
ACTIONS_ELEMENTS_MAX = 25
CONTEXT_ELEMENTS_MAX = 10
ID_MAX = 255
INPUT_LABEL_MAX = 2_000
INPUT_HINT_MAX = 2_000
PLAIN_TEXT_INPUT_LENGTH_MAX = 3_000
BUTTON_TEXT_MAX = 75
BUTTON_VALUE_MAX = 2_000
URL_MAX = 3_000
OPTION_TEXT_MAX = 75
OPTION_VALUE_MAX = 150
OPTION_DESCRIPTION_MAX = 75
SELECT_OPTIONS_MAX = 100
OPTION_GROUPS_MAX = 100
CHOICE_OPTIONS_MAX = 10
OVERFLOW_OPTIONS_MAX = 5
PLACEHOLDER_MAX = 150
CONFIRM_TITLE_MAX = 100
CONFIRM_TEXT_MAX = 300
CONFIRM_BUTTON_MAX = 30
IMAGE_ALT_TEXT_MAX = 2_000
IMAGE_TITLE_MAX = 2_000

BLOCK_TYPES = frozenset(
    {
        "actions",
        "context",
        "divider",
        "file",
        "header",
        "image",
        "input",
        "markdown",
        "rich_text",
        "section",
        "video",
    }
)

SELECT_TYPES = frozenset({"static_select", "multi_static_select"})
ENTITY_SELECT_TYPES = frozenset(
    {
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
        "external_select",
        "multi_external_select",
    }
)
CHOICE_TYPES = frozenset({"radio_buttons", "checkboxes"})
TEXT_INPUT_TYPES = frozenset(
    {"plain_text_input", "email_text_input", "url_text_input", "number_input", "rich_text_input"}
)
PICKER_TYPES = frozenset({"datepicker", "timepicker", "datetimepicker"})
INTERACTIVE_TYPES = (
    frozenset({"button", "overflow", "workflow_button", "file_input"})
    | SELECT_TYPES
    | ENTITY_SELECT_TYPES
    | CHOICE_TYPES
    | TEXT_INPUT_TYPES
    | PICKER_TYPES
)
ACCESSORY_TYPES = (INTERACTIVE_TYPES - TEXT_INPUT_TYPES - {"file_input"}) | {"image"}
INPUT_ELEMENT_TYPES = (INTERACTIVE_TYPES - {"button", "overflow", "workflow_button"}) | {"file_input"}


def elements_of(block: dict[str, Any]) -> list[dict[str, Any]]:
    """The elements a block holds where a person can act: its accessory, an input's element, an actions
    block's elements."""
    found: list[dict[str, Any]] = []
    for key in ("accessory", "element"):
        if isinstance(block.get(key), dict):
            found.append(block[key])
    if block.get("type") == "actions" and isinstance(block.get("elements"), list):
        found.extend(e for e in block["elements"] if isinstance(e, dict))
    return found


def options_of(element: dict[str, Any]) -> list[dict[str, Any]]:
    """A select's (or a choice's, an overflow's) options in the order shown, those in groups included."""
    options = list(element.get("options") or [])
    for group in element.get("option_groups") or []:
        options.extend(group.get("options") or [])
    return options


class _Errors:
    """Collects errors; keeps the per-check code short."""

    def __init__(self) -> None:
        self.items: list[str] = []

    def add(self, problem: str, pointer: str) -> None:
        self.items.append(f"{problem} [json-pointer:{pointer}]")


def validate_blocks(
    blocks: object, *, max_blocks: int = MESSAGE_MAX_BLOCKS, pointer: str = "/blocks"
) -> list[str]:
    """Check a list of blocks as Slack does for a message (or, with other limits, a view)."""
    errors = _Errors()
    _check_block_list(blocks, max_blocks, pointer, errors)
    return errors.items


def validate_view(view: object, *, pointer: str = "/view") -> list[str]:
    """Check a modal or App Home view as Slack does for views.open/update/push/publish."""
    errors = _Errors()
    if not isinstance(view, dict):
        errors.add("must provide an object", pointer)
        return errors.items
    view_type = view.get("type")
    if view_type not in ("modal", "home"):
        errors.add("must be one of: modal, home", f"{pointer}/type")
    if view_type == "modal":
        title = view.get("title")
        if title is None:
            errors.add("missing required field: title", pointer)
        else:
            _check_text(title, f"{pointer}/title", errors, max_len=VIEW_TITLE_MAX, plain_only=True)
    elif view.get("title") is not None:
        _check_text(view["title"], f"{pointer}/title", errors, max_len=VIEW_TITLE_MAX, plain_only=True)
    for key in ("submit", "close"):
        if view.get(key) is not None:
            _check_text(view[key], f"{pointer}/{key}", errors, max_len=VIEW_BUTTON_MAX, plain_only=True)
    _check_str(view.get("private_metadata"), PRIVATE_METADATA_MAX, f"{pointer}/private_metadata", errors)
    _check_str(view.get("callback_id"), CALLBACK_ID_MAX, f"{pointer}/callback_id", errors)
    _check_str(view.get("external_id"), EXTERNAL_ID_MAX, f"{pointer}/external_id", errors)
    blocks = view.get("blocks")
    if blocks is None:
        errors.add("missing required field: blocks", pointer)
        return errors.items
    _check_block_list(blocks, VIEW_MAX_BLOCKS, f"{pointer}/blocks", errors)
    has_input = isinstance(blocks, list) and any(
        isinstance(b, dict) and b.get("type") == "input" for b in blocks
    )
    if view_type == "modal" and has_input and view.get("submit") is None:
        errors.add("must provide submit if there are input blocks", f"{pointer}/submit")
    return errors.items


def _check_block_list(blocks: object, max_blocks: int, pointer: str, errors: _Errors) -> None:
    if not isinstance(blocks, list):
        errors.add("must provide an array", pointer)
        return
    if len(blocks) > max_blocks:
        errors.add(f"no more than {max_blocks} items allowed", pointer)
    seen_block_ids: set[str] = set()
    for index, block in enumerate(blocks):
        block_pointer = f"{pointer}/{index}"
        if not isinstance(block, dict):
            errors.add("must provide an object", block_pointer)
            continue
        block_id = block.get("block_id")
        if block_id is not None:
            if (
                _check_str(block_id, ID_MAX, f"{block_pointer}/block_id", errors)
                and block_id in seen_block_ids
            ):
                errors.add(f"duplicate block_id: {block_id}", f"{block_pointer}/block_id")
            if isinstance(block_id, str):
                seen_block_ids.add(block_id)
        _check_block(block, block_pointer, errors)


def _check_block(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    block_type = block.get("type")
    if block_type not in BLOCK_TYPES:
        errors.add(f"unsupported type: {block_type}", f"{pointer}/type")
        return
    if block_type == "section":
        _check_section(block, pointer, errors)
    elif block_type == "header":
        _check_required_text(block, "text", pointer, errors, max_len=HEADER_TEXT_MAX, plain_only=True)
    elif block_type == "actions":
        _check_element_list(block, pointer, errors, max_items=ACTIONS_ELEMENTS_MAX, allowed=INTERACTIVE_TYPES)
    elif block_type == "context":
        _check_context(block, pointer, errors)
    elif block_type == "image":
        _check_image(block, pointer, errors)
    elif block_type == "input":
        _check_input(block, pointer, errors)


def _check_section(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    text = block.get("text")
    fields = block.get("fields")
    if text is None and fields is None:
        errors.add("must provide either text or fields", pointer)
    if text is not None:
        _check_text(text, f"{pointer}/text", errors, max_len=SECTION_TEXT_MAX)
    if fields is not None:
        if not isinstance(fields, list):
            errors.add("must provide an array", f"{pointer}/fields")
        else:
            if len(fields) > SECTION_FIELDS_MAX:
                errors.add(f"no more than {SECTION_FIELDS_MAX} items allowed", f"{pointer}/fields")
            for index, field in enumerate(fields):
                _check_text(field, f"{pointer}/fields/{index}", errors, max_len=SECTION_FIELD_TEXT_MAX)
    accessory = block.get("accessory")
    if accessory is not None:
        _check_element(accessory, f"{pointer}/accessory", errors, allowed=ACCESSORY_TYPES)


def _elements(block: dict[str, Any], pointer: str, errors: _Errors, *, max_items: int) -> list[Any]:
    """A block's ``elements``: a non-empty array of at most ``max_items``; [] when it is not one."""
    elements = block.get("elements")
    if not isinstance(elements, list) or not elements:
        errors.add("must provide a non-empty array", f"{pointer}/elements")
        return []
    if len(elements) > max_items:
        errors.add(f"no more than {max_items} items allowed", f"{pointer}/elements")
    return elements


def _check_context(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    elements = _elements(block, pointer, errors, max_items=CONTEXT_ELEMENTS_MAX)
    for index, element in enumerate(elements):
        element_pointer = f"{pointer}/elements/{index}"
        if isinstance(element, dict) and element.get("type") == "image":
            _check_image(element, element_pointer, errors)
        else:
            _check_text(element, element_pointer, errors)


def _check_image(image: dict[str, Any], pointer: str, errors: _Errors) -> None:
    if image.get("image_url") is None and image.get("slack_file") is None:
        errors.add("must provide either image_url or slack_file", pointer)
    _check_str(image.get("image_url"), URL_MAX, f"{pointer}/image_url", errors)
    _check_required_str(image, "alt_text", pointer, errors, max_len=IMAGE_ALT_TEXT_MAX)
    if image.get("title") is not None:
        _check_text(image["title"], f"{pointer}/title", errors, max_len=IMAGE_TITLE_MAX, plain_only=True)


def _check_input(block: dict[str, Any], pointer: str, errors: _Errors) -> None:
    _check_required_text(block, "label", pointer, errors, max_len=INPUT_LABEL_MAX, plain_only=True)
    if block.get("hint") is not None:
        _check_text(block["hint"], f"{pointer}/hint", errors, max_len=INPUT_HINT_MAX, plain_only=True)
    element = block.get("element")
    if element is None:
        errors.add("missing required field: element", pointer)
    else:
        _check_element(element, f"{pointer}/element", errors, allowed=INPUT_ELEMENT_TYPES)


def _check_element_list(
    block: dict[str, Any], pointer: str, errors: _Errors, *, max_items: int, allowed: Iterable[str]
) -> None:
    elements = _elements(block, pointer, errors, max_items=max_items)
    seen_action_ids: set[str] = set()
    for index, element in enumerate(elements):
        element_pointer = f"{pointer}/elements/{index}"
        _check_element(element, element_pointer, errors, allowed=allowed)
        action_id = element.get("action_id") if isinstance(element, dict) else None
        if isinstance(action_id, str):
            if action_id in seen_action_ids:
                errors.add(f"duplicate action_id: {action_id}", f"{element_pointer}/action_id")
            seen_action_ids.add(action_id)


def _check_element(element: object, pointer: str, errors: _Errors, *, allowed: Iterable[str]) -> None:
    if not isinstance(element, dict):
        errors.add("must provide an object", pointer)
        return
    element_type = element.get("type")
    if element_type not in set(allowed):
        errors.add(f"unsupported type: {element_type}", f"{pointer}/type")
        return
    if element_type == "image":
        _check_image(element, pointer, errors)
        return
    _check_str(element.get("action_id"), ID_MAX, f"{pointer}/action_id", errors)
    if element.get("confirm") is not None:
        _check_confirm(element["confirm"], f"{pointer}/confirm", errors)
    if element.get("placeholder") is not None:
        _check_text(
            element["placeholder"], f"{pointer}/placeholder", errors, max_len=PLACEHOLDER_MAX, plain_only=True
        )
    if element_type == "button":
        _check_required_text(element, "text", pointer, errors, max_len=BUTTON_TEXT_MAX, plain_only=True)
        _check_str(element.get("value"), BUTTON_VALUE_MAX, f"{pointer}/value", errors)
        _check_str(element.get("url"), URL_MAX, f"{pointer}/url", errors)
        if element.get("style") not in (None, "primary", "danger"):
            errors.add("must be one of: primary, danger", f"{pointer}/style")
    elif element_type in SELECT_TYPES:
        _check_select_options(element, pointer, errors)
    elif element_type in CHOICE_TYPES:
        _check_options(element, pointer, errors, max_items=CHOICE_OPTIONS_MAX, plain_only=False)
    elif element_type == "overflow":
        _check_options(element, pointer, errors, max_items=OVERFLOW_OPTIONS_MAX, plain_only=True)
    elif element_type == "plain_text_input":
        for key in ("max_length", "min_length"):
            value = element.get(key)
            if value is not None and (not isinstance(value, int) or value > PLAIN_TEXT_INPUT_LENGTH_MAX):
                errors.add(f"must be at most {PLAIN_TEXT_INPUT_LENGTH_MAX}", f"{pointer}/{key}")


def _check_select_options(element: dict[str, Any], pointer: str, errors: _Errors) -> None:
    if element.get("option_groups") is not None:
        groups = element["option_groups"]
        if not isinstance(groups, list):
            errors.add("must provide an array", f"{pointer}/option_groups")
            return
        if len(groups) > OPTION_GROUPS_MAX:
            errors.add(f"no more than {OPTION_GROUPS_MAX} items allowed", f"{pointer}/option_groups")
        for index, group in enumerate(groups):
            if isinstance(group, dict):
                _check_options(
                    group,
                    f"{pointer}/option_groups/{index}",
                    errors,
                    max_items=SELECT_OPTIONS_MAX,
                    plain_only=True,
                )
        return
    _check_options(element, pointer, errors, max_items=SELECT_OPTIONS_MAX, plain_only=True)


def _check_options(
    element: dict[str, Any],
    pointer: str,
    errors: _Errors,
    *,
    max_items: int,
    plain_only: bool,
) -> None:
    options = element.get("options")
    if options is None:
        errors.add("missing required field: options", pointer)
        return
    if not isinstance(options, list) or not options:
        errors.add("must provide a non-empty array", f"{pointer}/options")
        return
    if len(options) > max_items:
        errors.add(f"no more than {max_items} items allowed", f"{pointer}/options")
    for index, option in enumerate(options):
        _check_option(option, f"{pointer}/options/{index}", errors, plain_only=plain_only)
    values = {o.get("value") for o in options if isinstance(o, dict)}
    initial = element.get("initial_option")
    if isinstance(initial, dict) and initial.get("value") not in values:
        errors.add("initial_option must match one of the options", f"{pointer}/initial_option")
    for index, option in enumerate(element.get("initial_options") or []):
        if isinstance(option, dict) and option.get("value") not in values:
            errors.add("initial_options must match the options", f"{pointer}/initial_options/{index}")


def _check_option(option: object, pointer: str, errors: _Errors, *, plain_only: bool) -> None:
    if not isinstance(option, dict):
        errors.add("must provide an object", pointer)
        return
    _check_required_text(option, "text", pointer, errors, max_len=OPTION_TEXT_MAX, plain_only=plain_only)
    _check_required_str(option, "value", pointer, errors, max_len=OPTION_VALUE_MAX)
    if option.get("description") is not None:
        _check_text(option["description"], f"{pointer}/description", errors, max_len=OPTION_DESCRIPTION_MAX)
    _check_str(option.get("url"), URL_MAX, f"{pointer}/url", errors)


def _check_confirm(confirm: object, pointer: str, errors: _Errors) -> None:
    if not isinstance(confirm, dict):
        errors.add("must provide an object", pointer)
        return
    _check_required_text(confirm, "title", pointer, errors, max_len=CONFIRM_TITLE_MAX, plain_only=True)
    _check_required_text(confirm, "text", pointer, errors, max_len=CONFIRM_TEXT_MAX)
    _check_required_text(confirm, "confirm", pointer, errors, max_len=CONFIRM_BUTTON_MAX, plain_only=True)
    _check_required_text(confirm, "deny", pointer, errors, max_len=CONFIRM_BUTTON_MAX, plain_only=True)


def _check_required_text(
    holder: dict[str, Any], key: str, pointer: str, errors: _Errors, *, max_len: int, plain_only: bool = False
) -> None:
    if holder.get(key) is None:
        errors.add(f"missing required field: {key}", pointer)
        return
    _check_text(holder[key], f"{pointer}/{key}", errors, max_len=max_len, plain_only=plain_only)


def _check_required_str(
    holder: dict[str, Any], key: str, pointer: str, errors: _Errors, *, max_len: int
) -> None:
    if holder.get(key) is None:
        errors.add(f"missing required field: {key}", pointer)
        return
    _check_str(holder[key], max_len, f"{pointer}/{key}", errors)


def _check_text(
    text_object: object,
    pointer: str,
    errors: _Errors,
    *,
    max_len: int | None = None,
    plain_only: bool = False,
) -> None:
    if not isinstance(text_object, dict):
        errors.add("must provide an object", pointer)
        return
    text_type = text_object.get("type")
    if plain_only and text_type != "plain_text":
        errors.add("must be plain_text", f"{pointer}/type")
    elif text_type not in ("plain_text", "mrkdwn"):
        errors.add("must be one of: plain_text, mrkdwn", f"{pointer}/type")
    text = text_object.get("text")
    if not isinstance(text, str):
        errors.add("missing required field: text", pointer)
        return
    if not text:
        errors.add("must be more than 0 characters", f"{pointer}/text")
    if max_len is not None:
        _check_str(text, max_len, f"{pointer}/text", errors)


def _check_str(value: object, max_len: int, pointer: str, errors: _Errors) -> bool:
    """Check an optional string's length; returns whether it was a valid string."""
    if value is None:
        return False
    if not isinstance(value, str):
        errors.add("must be a string", pointer)
        return False
    if len(value) > max_len:
        errors.add(f"must be less than {max_len + 1} characters", pointer)
        return False
    return True
