/**
 * The slice of the Adaptive Card 1.5 schema opsbot emits (https://adaptivecards.io/explorer/),
 * typed so a renderer mistake is a compile error rather than a card Teams refuses to show.
 */
export const ADAPTIVE_CARD_SCHEMA = 'http://adaptivecards.io/schemas/adaptive-card.json';
export const ADAPTIVE_CARD_CONTENT_TYPE = 'application/vnd.microsoft.card.adaptive';

export type ContainerStyle = 'default' | 'emphasis' | 'good' | 'attention' | 'warning' | 'accent';

export interface TextBlock {
  type: 'TextBlock';
  text: string;
  wrap: true;
  weight?: 'Bolder';
  size?: 'Small' | 'Medium' | 'Large';
  isSubtle?: true;
  spacing?: 'None' | 'Small';
}

export interface FactSet {
  type: 'FactSet';
  facts: Array<{ title: string; value: string }>;
}

export interface TableCell {
  type: 'TableCell';
  items: TextBlock[];
}

export interface Table {
  type: 'Table';
  columns: Array<{ width: number }>;
  rows: Array<{ type: 'TableRow'; cells: TableCell[] }>;
  firstRowAsHeader: true;
  gridStyle: 'accent';
}

export interface Container {
  type: 'Container';
  style: ContainerStyle;
  bleed?: true;
  items: CardElement[];
}

export interface ImageElement {
  type: 'Image';
  url: string;
  altText: string;
  size: 'Stretch';
}

export interface ChoiceSet {
  type: 'Input.ChoiceSet';
  id: string;
  style: 'compact';
  placeholder: string;
  isRequired: true;
  errorMessage: string;
  choices: Array<{ title: string; value: string }>;
}

export interface SubmitAction {
  type: 'Action.Submit';
  title: string;
  data: Record<string, string>;
  style?: 'positive' | 'destructive';
}

/**
 * A button as a Universal Action: Teams sends the click as an `adaptiveCard/action` invoke,
 * whose response only the clicker sees, so a refusal (someone approving their own
 * promotion) stays private.
 */
export interface ExecuteAction {
  type: 'Action.Execute';
  title: string;
  verb: string;
  data: Record<string, string>;
  style?: 'positive' | 'destructive';
}

export interface ShowCardAction {
  type: 'Action.ShowCard';
  title: string;
  style?: 'positive' | 'destructive';
  card: { type: 'AdaptiveCard'; body: CardElement[]; actions: ExecuteAction[] };
}

export type CardAction = SubmitAction | ExecuteAction | ShowCardAction;

export interface ActionSet {
  type: 'ActionSet';
  actions: CardAction[];
}

export type CardElement = TextBlock | FactSet | Table | Container | ImageElement | ChoiceSet | ActionSet;

/** A Teams mention: `text` must appear verbatim in a TextBlock of the card. */
export interface MentionEntity {
  type: 'mention';
  text: string;
  mentioned: { id: string; name: string };
}

export interface AdaptiveCard {
  type: 'AdaptiveCard';
  $schema: typeof ADAPTIVE_CARD_SCHEMA;
  version: '1.5';
  fallbackText: string;
  body: CardElement[];
  msteams: { width: 'Full'; entities?: MentionEntity[] };
}
