import type { Button, MessageBlock } from '../../../core/index.js';
import type { CardAction, CardElement, MentionEntity, ExecuteAction } from './card-types.js';
import { textBlock, withTeamsMentions } from './card-text.js';
import { markdownLink } from './markdown-link.js';

export interface RenderedBlock {
  elements: CardElement[];
  entities: MentionEntity[];
}

/** The id of a select block's input; unique per card so two selects never share a value. */
export function choiceInputId(index: number): string {
  return `opsbot-choice-${index}`;
}

export function pngDataUrl(png: Uint8Array): string {
  return `data:image/png;base64,${Buffer.from(png).toString('base64')}`;
}

/**
 * One neutral block as Adaptive Card elements; `index` keeps input ids unique within the card.
 * An image is shown from `imageUrl` where it is hosted, else from a data URL.
 */
export function renderBlock(block: MessageBlock, index: number, imageUrl?: string): RenderedBlock {
  switch (block.type) {
    case 'text': {
      const { text, entities } = withTeamsMentions(block.text, block.mentions);
      return { elements: [textBlock(text)], entities };
    }
    case 'fields':
      return { elements: [{ type: 'FactSet', facts: block.fields.map((field) => ({ title: field.label, value: field.value })) }], entities: [] };
    case 'table':
      return { elements: [renderTable(block.columns, block.rows)], entities: [] };
    case 'context':
      return { elements: [textBlock(block.text, { size: 'Small', isSubtle: true, spacing: 'Small' })], entities: [] };
    case 'links':
      if (block.links.length === 0) return { elements: [], entities: [] };
      return { elements: [textBlock(block.links.map(markdownLink).join(' · '), { size: 'Small', isSubtle: true, spacing: 'Small' })], entities: [] };
    case 'buttons':
      return { elements: [{ type: 'ActionSet', actions: block.buttons.map(renderButton) }], entities: [] };
    case 'select': {
      const id = choiceInputId(index);
      return {
        elements: [
          {
            type: 'Input.ChoiceSet',
            id,
            style: 'compact',
            placeholder: block.placeholder,
            isRequired: true,
            errorMessage: 'Pick an option first.',
            choices: block.options.map((option) => ({ title: option.label, value: option.command })),
          },
          // Action.Submit sends every input of the card; `choice` names the one this button is for.
          { type: 'ActionSet', actions: [{ type: 'Action.Submit', title: 'Run', data: { choice: id } }] },
        ],
        entities: [],
      };
    }
    case 'image': {
      const image: CardElement = { type: 'Image', url: imageUrl ?? pngDataUrl(block.png), altText: block.alt, size: 'Stretch' };
      return { elements: block.title ? [textBlock(block.title, { weight: 'Bolder' }), image] : [image], entities: [] };
    }
  }
}

function renderTable(columns: string[], rows: string[][]): CardElement {
  const row = (cells: string[], header: boolean) => ({
    type: 'TableRow' as const,
    cells: columns.map((_, i) => ({ type: 'TableCell' as const, items: [textBlock(cells[i] ?? '', header ? { weight: 'Bolder' } : {})] })),
  });
  return {
    type: 'Table',
    columns: columns.map(() => ({ width: 1 })),
    rows: [row(columns, true), ...rows.map((cells) => row(cells, false))],
    firstRowAsHeader: true,
    gridStyle: 'accent',
  };
}

const BUTTON_STYLE = { primary: 'positive', danger: 'destructive' } as const;
/** The verb of every opsbot button; the command is in its data. */
const BUTTON_VERB = 'opsbot.command';

function renderButton(button: Button): CardAction {
  const style = button.style ? BUTTON_STYLE[button.style] : undefined;
  const submit = (title: string): ExecuteAction => ({ type: 'Action.Execute', title, verb: BUTTON_VERB, data: { command: button.command }, ...(style ? { style } : {}) });
  if (!button.confirm) return submit(button.label);
  // Adaptive Cards have no modal confirm: the button opens an inline card that holds the real action.
  const { confirm } = button;
  return {
    type: 'Action.ShowCard',
    title: button.label,
    ...(style ? { style } : {}),
    card: {
      type: 'AdaptiveCard',
      body: [
        textBlock(confirm.title, { weight: 'Bolder' }),
        textBlock(confirm.text),
        textBlock(`${confirm.denyLabel}? Choose “${button.label}” again to close this.`, { size: 'Small', isSubtle: true }),
      ],
      actions: [submit(confirm.confirmLabel)],
    },
  };
}
